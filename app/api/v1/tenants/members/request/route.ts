export { membersRequestPOST as POST } from "@/server/rest/routes/tenants-requests.ts";
