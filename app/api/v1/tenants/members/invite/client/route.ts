export { membersInviteClientPOST as POST } from "@/server/rest/routes/tenants-invitations.ts";
