export { healthGET as GET } from "@/server/rest/routes/health.ts";

export const dynamic = "force-dynamic";
export { restFallback as POST, restFallback as PUT, restFallback as PATCH, restFallback as DELETE, restOptions as OPTIONS } from "@/server/rest/routes/fallback.ts";
