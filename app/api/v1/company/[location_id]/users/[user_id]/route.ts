export { companyUserDELETE as DELETE } from "@/server/rest/routes/company.ts";
