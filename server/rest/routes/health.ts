/**
 * `/api/health`, for load balancers and uptime checks. Dispatched by REST_ROUTES (./index.ts);
 * app/api/health/route.ts re-exports this handler and keeps the route's segment config (`dynamic`).
 */
import { getDb, pingDatabase } from "../../db/client.ts";
import { UNAVAILABLE_RETRY_AFTER } from "../../db/unavailable.ts";

/** Liveness plus a database round trip; load balancers take 503 as "send traffic elsewhere". */
export async function healthGET(): Promise<Response> {
  const ok = await getDb()
    .then((db) => pingDatabase(db))
    .catch(() => false);
  return Response.json(ok ? { status: "ok", database: "ok" } : { status: "error", database: "down" }, {
    status: ok ? 200 : 503,
    // While the database is down, clients and load balancers are told when to look again.
    headers: ok ? { "cache-control": "no-store" } : { "cache-control": "no-store", "retry-after": String(UNAVAILABLE_RETRY_AFTER) },
  });
}
