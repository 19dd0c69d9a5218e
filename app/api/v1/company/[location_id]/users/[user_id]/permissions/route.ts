export { companyUserPermissionsGET as GET, companyUserPermissionsPUT as PUT } from "@/server/rest/routes/company.ts";
export { restFallback as POST, restFallback as PATCH, restFallback as DELETE, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
