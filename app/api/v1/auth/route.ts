export { authPOST as POST } from "@/server/rest/routes/auth.ts";
