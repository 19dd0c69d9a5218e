/**
 * The request plane against the running server: cross-origin POSTs to tRPC and next-auth are refused with 403 (and a
 * same-origin sign-in still works), and, on PostgreSQL, a database that refuses every connection makes tRPC, REST and
 * /api/health answer 503 with Retry-After (a signed-in person is not sent to sign in), and the server recovers by
 * itself when the database is back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, testDatabaseUrl } from "../helpers/db.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { serverSkipReason, startE2eApp, type E2eApp } from "./helpers/e2e-app.ts";

const skipReason = serverSkipReason();
if (skipReason) console.warn(`\n!! e2e request-plane tests SKIPPED: ${skipReason}\n`);

let app: E2eApp;
beforeAll(async () => {
  if (!skipReason) app = await startE2eApp();
});
afterAll(() => app?.close());

const url = (p: string) => `${app.server.baseUrl}${p}`;
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

async function signIn(headers: Record<string, string> = {}): Promise<{ status: number; cookie: string | null }> {
  const csrf = await fetch(url("/api/auth/csrf"));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(url("/api/auth/callback/credentials"), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), ...headers },
    body: new URLSearchParams({ email: app.owner.email, password: app.owner.password, csrfToken, json: "true" }).toString(),
  });
  const session = cookiesOf(res).filter((c) => c.includes("session-token"));
  return { status: res.status, cookie: session.length ? [...jar, ...session].join("; ") : null };
}

const me = (cookie: string) =>
  fetch(url(`/api/trpc/account.me?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: null } }))}`), { headers: { cookie } });

describe.skipIf(!!skipReason)("same-origin POSTs on the running server", () => {
  it("POST /api/auth/callback/credentials - 403 from another site, and no session", async () => {
    const r = await signIn({ origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(r.status).toBe(403);
    expect(r.cookie).toBeNull();
  });

  it("POST /api/trpc - 403 for a cross-site mutation; the same call from the app's own origin gets through", async () => {
    const { cookie } = await signIn({ origin: app.server.baseUrl });
    expect(cookie).not.toBeNull();
    const body = JSON.stringify({ 0: { json: { id: 999_999_999 } } });
    const cross = await fetch(url("/api/trpc/account.revokeSession?batch=1"), {
      method: "POST", headers: { cookie: cookie!, "content-type": "application/json", origin: "null", "sec-fetch-site": "cross-site" }, body,
    });
    expect(cross.status).toBe(403);
    const same = await fetch(url("/api/trpc/account.revokeSession?batch=1"), {
      method: "POST", headers: { cookie: cookie!, "content-type": "application/json", origin: app.server.baseUrl, "sec-fetch-site": "same-origin" }, body,
    });
    // Past the origin check: the procedure itself answers (a session id that is not the caller's is not found).
    expect(same.status).not.toBe(403);
    expect((await me(cookie!)).status).toBe(200);
  });
});

describeOnlyIf(!skipReason && process.env.TEST_DB === "postgres")("the running server while PostgreSQL refuses connections", () => {
  it("should answer 503 with Retry-After on tRPC (signed in), REST and /api/health, then recover by itself", async () => {
    const { cookie } = await signIn({ origin: app.server.baseUrl });
    expect((await me(cookie!)).status).toBe(200);
    const name = new URL(app.dbEnv.DATABASE_URL!).pathname.slice(1);
    const admin = testDatabaseUrl();
    // Only this test's database: no new connections, and the server's pooled ones are killed.
    await adminQuery(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await adminQuery(admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
    try {
      const trpc = await me(cookie!);
      expect(trpc.status).toBe(503);
      expect(Number(trpc.headers.get("retry-after"))).toBeGreaterThan(0);
      const rest = await fetch(url("/api/v1/tenants/members/active"), { headers: { authorization: `Bearer rs_pt_${"x".repeat(40)}` } });
      expect(rest.status).toBe(503);
      expect(Number(rest.headers.get("retry-after"))).toBeGreaterThan(0);
      const health = await fetch(url("/api/health"));
      expect(health.status).toBe(503);
      expect(Number(health.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await adminQuery(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    expect((await fetch(url("/api/health"))).status).toBe(200);
    expect((await me(cookie!)).status).toBe(200);
  });
});
