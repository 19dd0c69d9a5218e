export { companyUserPermissionsGET as GET, companyUserPermissionsPUT as PUT } from "@/server/rest/routes/company.ts";
