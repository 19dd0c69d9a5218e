export { membersInviteCancel as GET, membersInviteCancel as POST } from "@/server/rest/routes/tenants-invitations.ts";
