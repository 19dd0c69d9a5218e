export { membersPendingGET as GET } from "@/server/rest/routes/tenants-members.ts";
