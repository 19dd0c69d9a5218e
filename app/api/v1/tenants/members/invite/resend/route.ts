export { membersInviteResendPOST as POST } from "@/server/rest/routes/tenants-invitations.ts";
