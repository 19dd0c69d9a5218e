export { membersRequestDeny as GET, membersRequestDeny as POST } from "@/server/rest/routes/tenants-requests.ts";
