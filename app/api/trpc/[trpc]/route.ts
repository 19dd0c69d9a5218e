// Origin check, batch limit and status mapping live in server/trpc/http.ts.
export { trpcHttpHandler as GET, trpcHttpHandler as POST } from "@/server/trpc/http.ts";
