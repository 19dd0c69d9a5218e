export { membersImportPOST as POST } from "@/server/rest/routes/tenants-import.ts";
