export { companyUserRemovePOST as POST } from "@/server/rest/routes/company.ts";
