export { healthGET as GET } from "@/server/rest/routes/health.ts";

export const dynamic = "force-dynamic";
