export { membersRequestAccept as GET, membersRequestAccept as POST } from "@/server/rest/routes/tenants-requests.ts";
