import { getDb, pingDatabase } from "@/server/db/client.ts";

export const dynamic = "force-dynamic";

/** Liveness plus a database round trip; load balancers take 503 as "send traffic elsewhere". */
export async function GET() {
  const ok = await getDb()
    .then((db) => pingDatabase(db))
    .catch(() => false);
  return Response.json(ok ? { status: "ok", database: "ok" } : { status: "error", database: "down" }, {
    status: ok ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
