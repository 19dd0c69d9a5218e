export { legacyCompanyUsersGET as GET } from "@/server/rest/routes/company-users.ts";
export { restFallback as POST, restFallback as PUT, restFallback as PATCH, restFallback as DELETE, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
