/** GET /api/health: liveness plus a database round trip; 503 when the database is unreachable. */
import { describe, expect, it, vi } from "vitest";
import { GET } from "../../app/api/health/route.ts";
import { openPostgres, setDbHandle } from "../../server/db/client.ts";
import { resetEnvCache } from "../../server/env.ts";
import { useTestDb } from "../helpers/db.ts";

const t = useTestDb();

async function health() {
  const res = await GET();
  return { status: res.status, body: await res.json(), cacheControl: res.headers.get("cache-control") };
}

describe("GET /api/health", () => {
  it("GET /api/health - 200 ok when the database answers", async () => {
    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "ok" }, cacheControl: "no-store" });
  });

  it("GET /api/health - 503 down when the database port has nobody listening", async () => {
    const dead = openPostgres("postgres://postgres@127.0.0.1:1/x");
    setDbHandle(dead);
    try {
      expect(await health()).toEqual({ status: 503, body: { status: "error", database: "down" }, cacheControl: "no-store" });
    } finally {
      setDbHandle(t.handle);
      await dead.close();
    }
  });

  it("GET /api/health - 503, not 500, when the database cannot even be opened", async () => {
    setDbHandle(null);
    vi.stubEnv("DATABASE_URL", "mysql://nope");
    resetEnvCache();
    try {
      expect((await health()).status).toBe(503);
    } finally {
      vi.unstubAllEnvs();
      resetEnvCache();
      setDbHandle(t.handle);
    }
  });
});
