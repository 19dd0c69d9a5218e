export { userPermissionsGET as GET } from "@/server/rest/routes/user.ts";
