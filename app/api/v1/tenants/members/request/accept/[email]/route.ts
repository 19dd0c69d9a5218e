export { membersRequestAccept as GET, membersRequestAccept as POST } from "@/server/rest/routes/tenants-requests.ts";
export { restFallback as PUT, restFallback as PATCH, restFallback as DELETE, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
