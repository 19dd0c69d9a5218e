export { membersActiveGET as GET } from "@/server/rest/routes/tenants-members.ts";
