export { userPermissionsGET as GET } from "@/server/rest/routes/user.ts";
export { restFallback as POST, restFallback as PUT, restFallback as PATCH, restFallback as DELETE, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
