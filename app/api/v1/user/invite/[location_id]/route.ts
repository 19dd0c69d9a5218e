export { userInvitePOST as POST } from "@/server/rest/routes/user.ts";
