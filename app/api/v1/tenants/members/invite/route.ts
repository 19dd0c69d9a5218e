export { membersInvitePOST as POST } from "@/server/rest/routes/tenants-invitations.ts";
export { restFallback as GET, restFallback as PUT, restFallback as PATCH, restFallback as DELETE, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
