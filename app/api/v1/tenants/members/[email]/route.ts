export { memberDELETE as DELETE } from "@/server/rest/routes/tenants-members.ts";
export { restFallback as GET, restFallback as POST, restFallback as PUT, restFallback as PATCH, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
