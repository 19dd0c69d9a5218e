export { companyUserCopyPOST as POST } from "@/server/rest/routes/company.ts";
