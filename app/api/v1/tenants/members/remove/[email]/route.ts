export { membersRemove as GET, membersRemove as POST } from "@/server/rest/routes/tenants-members.ts";
export { restFallback as PUT, restFallback as PATCH, restFallback as DELETE, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
