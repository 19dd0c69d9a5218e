export {
  restFallback as GET, restFallback as HEAD, restFallback as OPTIONS, restFallback as POST, restFallback as PUT, restFallback as PATCH, restFallback as DELETE,
} from "@/server/rest/routes/fallback.ts";
