/**
 * Database outages (issue 9): while the database is unreachable or its connections are being killed, both API doors
 * and /api/health answer 503 with Retry-After (never 500), and the app recovers by itself once it is back.
 * SMTP outages are covered in email.test.ts (the email stays queued, is retried, and is sent once SMTP answers).
 */
import crypto from "node:crypto";
import type { Session } from "next-auth";
import pg from "pg";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as healthGET } from "../../app/api/health/route.ts";
import { GET as activeGET } from "../../app/api/v1/tenants/members/active/route.ts";
import { openPostgres, setDbHandle, type Db, type DbHandle } from "../../server/db/client.ts";
import { resetEnvCache } from "../../server/env.ts";
import { PEER_HEADER } from "../../server/security/client-ip.ts";
import { handleTrpcRequest } from "../../server/trpc/http.ts";
import { testDatabaseUrl, useTestDb } from "../helpers/db.ts";
import { createPartnerToken, createTenantWithOwner, signIn, uniqueEmail, type TestTenant } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";

const t = useTestDb();

let tenant: TestTenant;
let session: Session;
let partner: string;
beforeAll(async () => {
  // The outage loops make hundreds of calls; the request limits are not what is tested here.
  vi.stubEnv("RATE_LIMIT_TRPC_USER", "100000/60");
  vi.stubEnv("RATE_LIMIT_REST_TOKEN", "100000/60");
  resetEnvCache();
  const w = await createTenantWithOwner(t.db);
  tenant = w.tenant;
  session = (await signIn(t.db, w.owner)).session;
  partner = (await createPartnerToken(t.db, tenant, { scopes: ["members.read"] })).token;
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

type Outcome = { door: string; status: number; retryAfter: string | null; statuses: number[] };

async function rest(): Promise<Outcome> {
  const r = await callRoute(activeGET as unknown as RouteHandler, {
    method: "GET", path: "/api/v1/tenants/members/active", authorization: `Bearer ${partner}`, headers: { [PEER_HEADER]: "203.0.113.50" },
  });
  return { door: "rest", status: r.status, retryAfter: r.headers.get("retry-after"), statuses: [r.status] };
}

/** A query batch (members.list, account.me) and a mutation (a write in a transaction), as httpBatchLink sends them. */
async function trpc(db: Db): Promise<Outcome> {
  const queries = await trpcBatch(db, [{ path: "members.list", input: { tenant: tenant.slug } }, { path: "account.me", input: undefined }], false);
  const write = await trpcBatch(db, [{ path: "invitations.create", input: { tenant: tenant.slug, email: uniqueEmail("outage"), sendEmail: false } }], true);
  const bad = [queries, write].find((o) => o.status !== 200) ?? queries;
  return { door: "trpc", status: bad.status, retryAfter: bad.retryAfter, statuses: [...queries.statuses, ...write.statuses] };
}

async function trpcBatch(db: Db, calls: { path: string; input: unknown }[], mutation: boolean): Promise<Outcome> {
  const inputs = JSON.stringify(Object.fromEntries(calls.map((c, i) => [String(i), superjson.serialize(c.input ?? null)])));
  const url = new URL(`http://localhost/api/trpc/${calls.map((c) => c.path).join(",")}?batch=1`);
  if (!mutation) url.searchParams.set("input", inputs);
  const req = new Request(url, {
    method: mutation ? "POST" : "GET", headers: { "content-type": "application/json", host: "localhost" }, ...(mutation ? { body: inputs } : {}),
  });
  const res = await handleTrpcRequest(req, async () => ({ db, session, meta: { ip: "203.0.113.50", userAgent: "vitest", requestId: "outage" } }));
  const raw = (await res.json()) as unknown;
  if (!Array.isArray(raw)) throw new Error(`not a batch answer (${res.status}): ${JSON.stringify(raw)}`);
  const body = raw as { error?: { json: { data: { httpStatus: number } } } }[];
  return { door: "trpc", status: res.status, retryAfter: res.headers.get("retry-after"), statuses: body.map((b) => b.error?.json.data.httpStatus ?? 200) };
}

async function health(): Promise<Outcome> {
  const res = await healthGET();
  return { door: "health", status: res.status, retryAfter: res.headers.get("retry-after"), statuses: [res.status] };
}

describe("the database is unreachable", () => {
  it("should answer 503 with Retry-After on REST, tRPC and /api/health, never 500", async () => {
    const dead = openPostgres("postgres://postgres@127.0.0.1:1/x");
    setDbHandle(dead);
    try {
      const outcomes = [await rest(), await trpc(dead.prisma), await health()];
      for (const o of outcomes) {
        expect(o, o.door).toMatchObject({ status: 503 });
        expect(Number(o.retryAfter), o.door).toBeGreaterThan(0);
        expect(o.statuses.every((s) => s === 503), o.door).toBe(true);
      }
    } finally {
      setDbHandle(t.handle);
      await dead.close();
    }
  });
});

describeOnlyIf(t.kind === "postgres")("an exhausted connection pool", () => {
  it("should answer 503 with Retry-After, not 500, while every connection is held, and 200 once one is free", async () => {
    const small = openPostgres(testDatabaseUrl(), { schema: t.handle.schema!, max: 1 });
    setDbHandle(small);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // One long transaction holds the only connection, as 200 batched calls once held the whole pool.
    const holder = small.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      await held;
    }, { timeout: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const outcomes = [await rest(), await trpc(small.prisma)];
      for (const o of outcomes) {
        expect(o.statuses.filter((s) => s !== 503), o.door).toEqual([]);
        expect(Number(o.retryAfter), o.door).toBeGreaterThan(0);
      }
      release();
      await holder;
      const after = [await rest(), await trpc(small.prisma)];
      for (const o of after) expect(o.statuses, o.door).toEqual(o.statuses.map(() => 200));
    } finally {
      release();
      await holder.catch(() => {});
      setDbHandle(t.handle);
      await small.prisma.$disconnect();
      await small.pool!.end();
    }
  }, 120_000);
});

describeOnlyIf(t.kind === "postgres")("PostgreSQL connections killed while calls run", () => {
  it("should answer only 200 or 503 (with Retry-After) while backends are terminated, and 200 again afterwards", async () => {
    const app = `roster-outage-${crypto.randomBytes(4).toString("hex")}`;
    const url = new URL(testDatabaseUrl());
    url.searchParams.set("application_name", app);
    const outage: DbHandle = openPostgres(url.toString(), { schema: t.handle.schema!, max: 4 });
    setDbHandle(outage);
    const killer = new pg.Client({ connectionString: testDatabaseUrl() });
    await killer.connect();
    let killing = true;
    let kills = 0;
    const killLoop = (async () => {
      while (killing) {
        const r = await killer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [app]);
        kills += r.rowCount ?? 0;
        await new Promise((res) => setTimeout(res, 40));
      }
    })();
    try {
      const during: Outcome[] = [];
      const worker = async () => {
        for (let i = 0; i < 12; i++) during.push(await rest(), await trpc(outage.prisma), await health());
      };
      await Promise.all([worker(), worker(), worker()]);
      killing = false;
      await killLoop;
      expect(kills).toBeGreaterThan(0);

      const all = during.flatMap((o) => o.statuses.map((s) => ({ door: o.door, s })));
      expect(all.filter((x) => x.s !== 200 && x.s !== 503)).toEqual([]);
      const unavailable = during.filter((o) => o.status === 503 || o.statuses.includes(503));
      expect(unavailable.length).toBeGreaterThan(0);
      expect(unavailable.every((o) => Number(o.retryAfter) > 0)).toBe(true);

      // No restart, no reset: the pool replaces the killed connections by itself.
      const after = [await rest(), await trpc(outage.prisma), await health()];
      for (const o of after) expect(o.statuses, o.door).toEqual(o.statuses.map(() => 200));
    } finally {
      killing = false;
      await killLoop.catch(() => {});
      await killer.end();
      setDbHandle(t.handle);
      await outage.prisma.$disconnect();
      await outage.pool!.end();
    }
  }, 120_000);
});
