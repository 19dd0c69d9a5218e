export { legacyCompanyUsersGET as GET } from "@/server/rest/routes/company-users.ts";
