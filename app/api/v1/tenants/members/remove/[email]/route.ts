export { membersRemove as GET, membersRemove as POST } from "@/server/rest/routes/tenants-members.ts";
