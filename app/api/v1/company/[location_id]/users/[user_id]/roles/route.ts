export { companyUserRolesGET as GET } from "@/server/rest/routes/company.ts";
