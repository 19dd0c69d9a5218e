export { companyRolesGET as GET } from "@/server/rest/routes/company.ts";
