export { memberDELETE as DELETE } from "@/server/rest/routes/tenants-members.ts";
