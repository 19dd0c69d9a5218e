/**
 * The running server seen from outside: health, the REST door over real HTTP (on PostgreSQL, where the CLI can mint
 * a partner token beside the running server) and the PGlite data-directory lock against the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { runCli, runCliJson } from "./helpers/cli.ts";
import { serverSkipReason, startE2eApp, type E2eApp } from "./helpers/e2e-app.ts";

const skipReason = serverSkipReason();
if (skipReason) console.warn(`\n!! e2e server tests SKIPPED: ${skipReason}\n`);

let app: E2eApp;
beforeAll(async () => {
  if (!skipReason) app = await startE2eApp();
});
afterAll(() => app?.close());

const url = (p: string) => `${app.server.baseUrl}${p}`;

describe.skipIf(!!skipReason)("the running server", () => {
  it("GET /api/health - 200 ok", async () => {
    const res = await fetch(url("/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("GET /signin - sends the security headers", async () => {
    const res = await fetch(url("/signin"));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("POST /api/v1/auth - 401 seed envelope without a bearer token", async () => {
    const res = await fetch(url("/api/v1/auth"), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ success: false, data: null, meta: { message: "Authentication needed." } });
  });
});

describeOnlyIf(!skipReason && process.env.TEST_DB === "pglite")("the CLI beside a server on PGlite", () => {
  it("should refuse to open the data directory while the server runs", () => {
    const r = runCli(["unit:create", "--tenant", "northwind", "--name", "X", "--kind", "LOCATION", "--json"], app.dbEnv);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr.toLowerCase()).toContain("the server is running on this data directory");
  });
});

describeOnlyIf(!skipReason && process.env.TEST_DB === "postgres")("the REST door over HTTP on PostgreSQL", () => {
  let partner: string;
  beforeAll(() => {
    partner = runCliJson<{ token: string }>(["token:create", "--tenant", app.tenant!.slug, "--kind", "partner", "--name", "e2e"], app.dbEnv).token;
  });

  const auth = (body: string, headers: Record<string, string> = {}) =>
    fetch(url("/api/v1/auth"), {
      method: "POST",
      headers: { authorization: `Bearer ${partner}`, "content-type": "application/json", accept: "application/vnd.api.v2+json", ...headers },
      body,
    });

  it("POST /api/v1/auth - 201 with the seed 000 fields for a partner token minted by the CLI", async () => {
    const res = await auth(JSON.stringify({ login: app.owner.email, password: app.owner.password }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { success: boolean; data: Record<string, unknown>; meta: unknown };
    expect(body.success).toBe(true);
    expect(Object.keys(body.data).sort()).toEqual(["avatar", "email", "id", "is_approved", "login", "name", "phone", "user_token"]);
    expect(body.data).toMatchObject({ login: app.owner.email, email: app.owner.email, is_approved: true });
    expect(body.data.user_token).toMatch(/^rs_ut_/);
  });

  it("POST /api/v1/auth - 401 for a wrong password", async () => {
    const res = await auth(JSON.stringify({ login: app.owner.email, password: "wrong-password" }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ success: false, data: null, meta: { message: "Wrong email or password." } });
  });

  it("POST /api/v1/auth - 400 for invalid JSON", async () => {
    expect((await auth("{not json")).status).toBe(400);
  });

  it("POST /api/v1/auth - 413 for a body over 1 MB", async () => {
    const res = await auth(JSON.stringify({ login: app.owner.email, password: "x".repeat(1_100_000) }));
    expect(res.status).toBe(413);
  });

  it("POST /api/v1/auth - ignores session cookies: no bearer is 401 even with a cookie", async () => {
    const res = await fetch(url("/api/v1/auth"), {
      method: "POST",
      headers: { "content-type": "application/json", cookie: "next-auth.session-token=whatever" },
      body: JSON.stringify({ login: app.owner.email, password: app.owner.password }),
    });
    expect(res.status).toBe(401);
  });
});
