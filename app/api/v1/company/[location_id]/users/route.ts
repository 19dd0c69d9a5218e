export { companyUsersGET as GET } from "@/server/rest/routes/company.ts";
