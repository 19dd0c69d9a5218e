/**
 * The API door of Roster's own server (server/http/api-door.ts) over real HTTP: serve.ts answers tRPC
 * (`/api/trpc/*`, GET and POST) and every REST route of REST_ROUTES itself, before Next's router, and leaves
 * everything else to Next. What must hold:
 * - the door's answers are the API's answers (superjson bodies, the seeds' envelopes, percent-decoded path params)
 *   and carry the same security headers as the proxy (proxy.ts) gives Next's answers, with no page CSP;
 * - cross-origin tRPC POSTs are refused before any procedure runs;
 * - an unknown /api/v1 path is a JSON 404 and a method its route lacks a JSON 405 with Allow, in the family's error
 *   shape, from the door and from Next's route files alike (WIRE.md, route families);
 * - other fall-throughs keep Next's answers (trailing-slash and dot-segment 308s, automatic HEAD and OPTIONS);
 * - a client-sent `x-roster-peer` never becomes the client IP on the door's paths (observed in the audit log);
 * - boot runs before the server listens, so even its very first request is a proper API answer.
 *
 * Which layer answered is told by Next's `Vary: rsc, next-router-state-tree, ...`: Next sets it on everything its
 * router serves (route handlers and pages alike), the door never does. Without that check every assertion below
 * would also pass with the door switched off, and the file would not be testing the door at all.
 *
 * Requests go over node:http so that Host, Origin and x-roster-peer are exactly what the test says (fetch forbids
 * some of them and would follow redirects). One demo-tenant app (startAccessApp: the same tenant on PGlite and
 * PostgreSQL), plus, for the first-request case, a bare server on an empty database that no health poll has touched.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "../helpers/db.ts";
import { DEMO_TENANT, startAccessApp, type AccessApp } from "./helpers/access-app.ts";
import { startAppServer, type AppServer } from "./helpers/app-server.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { createE2eDatabase, type E2eDatabase } from "./helpers/postgres.ts";

const skipReason = serverSkipReason();
if (skipReason) console.warn(`\n!! e2e API door tests SKIPPED: ${skipReason}\n`);

const SPOOFED = "203.0.113.9";
const EVIL = "https://evil.example";
/** The proxy's values (server/security/headers.ts) for an /api path over plain http. */
const API_SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "cross-origin-opener-policy": "same-origin",
};

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };
type SendOpts = { method?: string; headers?: Record<string, string>; body?: string };

/** One request, the path sent as written (no URL normalisation), Host set to the server's unless given. */
function send(baseUrl: string, rawPath: string, opts: SendOpts = {}): Promise<Res> {
  const { hostname, port, host } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, path: rawPath, method: opts.method ?? "GET", headers: { host, ...(opts.headers ?? {}) }, timeout: 30_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${opts.method ?? "GET"} ${rawPath}: no answer within 30 s`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}

const header = (r: Res, name: string): string | undefined => {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
};
/** Next's router served this (see the header comment); the door's answers never carry this Vary. */
const answeredByNext = (r: Res) => /next-router-state-tree/i.test(header(r, "vary") ?? "");
const json = <T>(r: Res): T => JSON.parse(r.body) as T;
const securityHeadersOf = (r: Res) => Object.fromEntries(Object.keys(API_SECURITY_HEADERS).map((k) => [k, header(r, k)]));

function expectApiSecurityHeaders(r: Res, what: string) {
  expect(securityHeadersOf(r), what).toEqual(API_SECURITY_HEADERS);
  // JSON answers carry no page policy, and plain http no HSTS.
  expect(header(r, "content-security-policy"), what).toBeUndefined();
  expect(header(r, "strict-transport-security"), what).toBeUndefined();
  expect(header(r, "x-powered-by"), what).toBeUndefined();
}

const trpcGetPath = (proc: string, input: unknown) => `/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
type TrpcError = { error: { json: { message: string; data: { code: string; httpStatus: number; reason: string | null } } } };
type TrpcResult<T> = { result: { data: { json: T } } };

type AuditItem = { action: string; ip: string | null; userAgent: string | null; targetId: string | null };

// ---------------------------------------------------------------------------------------------------------------

describe.skipIf(!!skipReason)("the API door of Roster's own server", () => {
  let app: AccessApp;
  let base: string;
  /** The owner's cookie header (CSRF + session), from a sign-in through next-auth (Next's route, not the door). */
  let cookie: string;
  /** `Bearer <partner>, User <owner's user token>`: seed 000's pair, acting as the owner. */
  let pair: string;
  let partner: string;

  /** Same-origin as a browser on the app's own page sends it (Host and Origin agree). */
  const sameOrigin = () => ({ origin: base, "sec-fetch-site": "same-origin" });
  const trpcGet = (proc: string, input: unknown, headers: Record<string, string> = {}) =>
    send(base, trpcGetPath(proc, input), { headers: { cookie, ...headers } });
  const trpcPost = (proc: string, input: unknown, headers: Record<string, string>) =>
    send(base, `/api/trpc/${proc}`, { method: "POST", headers: { cookie, "content-type": "application/json", ...headers }, body: JSON.stringify({ json: input }) });
  const rest = (method: string, p: string, headers: Record<string, string> = {}, body?: string) =>
    send(base, p, { method, headers: { authorization: pair, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers }, ...(body === undefined ? {} : { body }) });

  async function tokenNames(): Promise<string[]> {
    const r = await trpcGet("tokens.list", { tenant: DEMO_TENANT });
    expect(r.status, r.body).toBe(200);
    return json<TrpcResult<{ name: string }[]>>(r).result.data.json.map((t) => t.name);
  }

  /** The newest audit events of `action` prefix (tRPC GET through the door as well). */
  async function auditEvents(action: string): Promise<AuditItem[]> {
    const r = await trpcGet("audit.list", { tenant: DEMO_TENANT, action, limit: 100 });
    expect(r.status, r.body).toBe(200);
    return json<TrpcResult<{ items: AuditItem[] }>>(r).result.data.json.items;
  }

  async function activeEmails(): Promise<string[]> {
    const r = await rest("GET", "/api/v1/tenants/members/active");
    expect(r.status, r.body).toBe(200);
    return json<{ email: string }[]>(r).map((m) => m.email);
  }

  beforeAll(async () => {
    app = await startAccessApp();
    base = app.server.baseUrl;

    const csrf = await send(base, "/api/auth/csrf");
    expect(csrf.status).toBe(200);
    const jar = (csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!);
    const { csrfToken } = json<{ csrfToken: string }>(csrf);
    const signIn = await send(base, "/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), ...sameOrigin() },
      body: new URLSearchParams({ email: app.owner.email, password: app.owner.password, csrfToken, json: "true" }).toString(),
    });
    const session = (signIn.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).find((c) => c.includes("session-token"));
    expect(session, `session cookie (status ${signIn.status}, ${signIn.body.slice(0, 200)})`).toBeDefined();
    cookie = [...jar, session!].join("; ");

    const created = await trpcPost("tokens.create", { tenant: DEMO_TENANT, kind: "partner", name: "door e2e" }, sameOrigin());
    expect(created.status, created.body).toBe(200);
    partner = json<TrpcResult<{ token: string }>>(created).result.data.json.token;
    const auth = await send(base, "/api/v1/auth", {
      method: "POST",
      headers: { authorization: `Bearer ${partner}`, "content-type": "application/json" },
      body: JSON.stringify({ login: app.owner.email, password: app.owner.password }),
    });
    expect(auth.status, auth.body).toBe(201);
    pair = `Bearer ${partner}, User ${json<{ data: { user_token: string } }>(auth).data.user_token}`;
  }, 240_000);
  afterAll(() => app?.close());

  describe("tRPC", () => {
    it("GET /api/trpc/tenants.current - 200 with the superjson body, from the door, with the API security headers", async () => {
      const r = await trpcGet("tenants.current", { tenant: DEMO_TENANT });
      expect(r.status, r.body).toBe(200);
      expect(header(r, "content-type")).toMatch(/^application\/json/);
      const current = json<TrpcResult<{ slug: string; me: { roles: string[]; hasFullAccess: boolean } }>>(r).result.data.json;
      expect(current.slug).toBe(DEMO_TENANT);
      expect(current.me.roles).toContain("owner");
      expect(current.me.hasFullAccess).toBe(true);
      expect(answeredByNext(r)).toBe(false);
      expectApiSecurityHeaders(r, "GET /api/trpc/tenants.current");
    });

    it("should send exactly the headers the proxy gives Next's API answers", async () => {
      const door = await trpcGet("tenants.current", { tenant: DEMO_TENANT });
      // An encoded slash is left to Next by the door: the catch-all answers it.
      const next = await send(base, "/api/v1/no%2Fpe");
      expect([answeredByNext(door), answeredByNext(next)]).toEqual([false, true]);
      expect(securityHeadersOf(door)).toEqual(securityHeadersOf(next));
    });

    it("POST /api/trpc/tokens.create - 403 from a foreign Origin, before the procedure runs; nothing is created", async () => {
      const name = `cross-${crypto.randomBytes(3).toString("hex")}`;
      const r = await trpcPost("tokens.create", { tenant: DEMO_TENANT, kind: "partner", name }, { origin: EVIL });
      expect(r.status, r.body).toBe(403);
      expect(answeredByNext(r)).toBe(false);
      expectApiSecurityHeaders(r, "refused POST");
      const { data } = json<TrpcError>(r).error.json;
      expect(data).toMatchObject({ code: "FORBIDDEN", httpStatus: 403, reason: "CROSS_ORIGIN" });
      expect(await tokenNames()).not.toContain(name);
    });

    it("POST /api/trpc/tokens.create - the same call from the app's own origin creates the token", async () => {
      const name = `same-${crypto.randomBytes(3).toString("hex")}`;
      const r = await trpcPost("tokens.create", { tenant: DEMO_TENANT, kind: "partner", name }, sameOrigin());
      expect(r.status, r.body).toBe(200);
      expect(answeredByNext(r)).toBe(false);
      expect(json<TrpcResult<{ token: string; apiToken: { name: string } }>>(r).result.data.json.apiToken.name).toBe(name);
      expect(await tokenNames()).toContain(name);
    });
  });

  describe("REST", () => {
    it("GET /api/v1/tenants/members/active - 200, seed 003's bare array with X-Total-Count, from the door, with the security headers", async () => {
      const r = await rest("GET", "/api/v1/tenants/members/active");
      expect(r.status, r.body).toBe(200);
      expect(answeredByNext(r)).toBe(false);
      expectApiSecurityHeaders(r, "GET /api/v1/tenants/members/active");
      const members = json<{ email: string; status: string }[]>(r);
      expect(Array.isArray(members)).toBe(true);
      expect(members.map((m) => m.email)).toEqual(expect.arrayContaining([app.owner.email, app.worker.email]));
      expect(Number(header(r, "x-total-count"))).toBe(members.length);
    });

    it("GET /api/v1/company/{location_id}/users - 200 in seed 000's envelope, from the door", async () => {
      const r = await rest("GET", `/api/v1/company/${app.depot.id}/users`);
      expect(r.status, r.body).toBe(200);
      expect(answeredByNext(r)).toBe(false);
      expectApiSecurityHeaders(r, "GET /api/v1/company/{location_id}/users");
      const body = json<{ success: boolean; data: { email: string }[]; meta: { count: number } }>(r);
      expect(body.success).toBe(true);
      expect(body.data.map((u) => u.email)).toContain(app.worker.email);
      expect(body.meta.count).toBe(body.data.length);
    });

    it("DELETE /api/v1/tenants/members/{email} - a percent-encoded non-member is the seed's 404 envelope, not Next's page", async () => {
      const r = await rest("DELETE", `/api/v1/tenants/members/${encodeURIComponent("nobody@nowhere.example")}`);
      expect(r.status, r.body).toBe(404);
      expect(answeredByNext(r)).toBe(false);
      expect(header(r, "content-type")).toMatch(/^application\/json/);
      expectApiSecurityHeaders(r, "DELETE /api/v1/tenants/members/{email}");
      expect(json<Record<string, unknown>>(r)).toMatchObject({ title: "Not Found", detail: expect.any(String), time: expect.any(String) });
    });

    it("DELETE /api/v1/tenants/members/{email} - a percent-encoded member's address is decoded and the member removed", async () => {
      const encoded = encodeURIComponent(app.worker.email);
      expect(encoded).toContain("%40");
      const r = await rest("DELETE", `/api/v1/tenants/members/${encoded}`);
      expect(r.status, r.body).toBe(200);
      expect(answeredByNext(r)).toBe(false);
      expect(json<{ email: string }>(r).email).toBe(app.worker.email);
      expect(await activeEmails()).not.toContain(app.worker.email);
    });
  });

  describe("unknown paths and methods under /api/v1: JSON in the family's shape, before authentication", () => {
    it("GET /api/v1/nope - a 404 problem from the door, no credentials needed", async () => {
      const r = await send(base, "/api/v1/nope");
      expect(r.status).toBe(404);
      expect(answeredByNext(r)).toBe(false);
      expect(header(r, "content-type")).toMatch(/^application\/json/);
      expect(json<Record<string, unknown>>(r)).toMatchObject({ title: "Not Found", detail: "No such endpoint: GET /api/v1/nope." });
    });

    it("GET /api/v1/company/1/nope - a 404 in seed 000's envelope", async () => {
      const r = await send(base, "/api/v1/company/1/nope");
      expect(r.status).toBe(404);
      expect(json(r)).toEqual({ success: false, data: null, meta: { message: "No such endpoint: GET /api/v1/company/1/nope." } });
    });

    it("DELETE /api/v1/tenants/members/active - a 405 naming the route's methods, never a removal of a member called \"active\"", async () => {
      const before = await activeEmails();
      const r = await rest("DELETE", "/api/v1/tenants/members/active");
      expect(r.status).toBe(405);
      expect(answeredByNext(r)).toBe(false);
      expect(header(r, "allow")).toBe("GET, HEAD, OPTIONS");
      expect(json<Record<string, unknown>>(r)).toMatchObject({ title: "Method Not Allowed" });
      expect(await activeEmails()).toEqual(before);
    });

    it("PATCH /api/v1/company/1/users/2/permissions - a 405 in seed 000's envelope, even without credentials", async () => {
      const r = await send(base, "/api/v1/company/1/users/2/permissions", { method: "PATCH" });
      expect(r.status).toBe(405);
      expect(header(r, "allow")).toBe("GET, PUT, HEAD, OPTIONS");
      expect(json(r)).toMatchObject({ success: false, data: null, meta: { message: expect.stringMatching(/^PATCH is not allowed/) } });
    });

    it("OPTIONS /api/v1/tenants/members/active - 204 naming only the route's own methods", async () => {
      const r = await rest("OPTIONS", "/api/v1/tenants/members/active");
      expect(r.status).toBe(204);
      expect(answeredByNext(r)).toBe(false);
      expect(header(r, "allow")).toBe("GET, HEAD, OPTIONS");
    });

    it("should answer the same through Next's router: the catch-all's 404 and a route file's 405", async () => {
      // An encoded slash is left to Next by the door, so these two are Next's answers from app/api/v1.
      const unknown = await send(base, "/api/v1/no%2Fpe");
      expect(unknown.status).toBe(404);
      expect(answeredByNext(unknown)).toBe(true);
      expect(json<Record<string, unknown>>(unknown)).toMatchObject({ title: "Not Found" });

      const wrong = await rest("DELETE", "/api/v1/tenants/members/invite/cancel/a%2Fb@nowhere.example");
      expect(wrong.status).toBe(405);
      expect(answeredByNext(wrong)).toBe(true);
      expect(header(wrong, "allow")).toBe("GET, POST, HEAD, OPTIONS");
      expect(json<Record<string, unknown>>(wrong)).toMatchObject({ title: "Method Not Allowed" });

      const options = await rest("OPTIONS", "/api/v1/tenants/members/invite/cancel/a%2Fb@nowhere.example");
      expect(options.status).toBe(204);
      expect(answeredByNext(options)).toBe(true);
      expect(header(options, "allow")).toBe("GET, POST, HEAD, OPTIONS");
    });
  });

  describe("other fall-throughs keep Next's answers", () => {
    it("GET /api/health/ - Next's 308 to /api/health (trailing slash)", async () => {
      const r = await send(base, "/api/health/");
      expect(r.status).toBe(308);
      expect(header(r, "location")).toBe("/api/health");
    });

    it("HEAD /api/health - Next's automatic HEAD: 200 with an empty body", async () => {
      const r = await send(base, "/api/health", { method: "HEAD" });
      expect(r.status).toBe(200);
      expect(r.body).toBe("");
      expect(answeredByNext(r)).toBe(true);
      expect(header(r, "content-type")).toMatch(/^application\/json/);
    });

    it("should leave paths a URL parser would rewrite to Next: doubled slashes, dot segments, encoded slashes", async () => {
      const doubled = await send(base, "/api//health");
      expect(doubled.status).toBe(308);
      expect(header(doubled, "location")).toBe("/api/health");

      // The door would have taken ".." as the [email] of the DELETE route.
      const dots = await rest("DELETE", "/api/v1/tenants/members/..");
      expect(dots.status).toBe(308);
      expect(header(dots, "location")).toBe("/api/v1/tenants");

      // Next hands the route "a/b@nowhere.example", which the handler refuses as an address.
      const slash = await rest("DELETE", "/api/v1/tenants/members/a%2Fb@nowhere.example");
      expect(slash.status, slash.body).toBe(422);
      expect(answeredByNext(slash)).toBe(true);
      expect(json<{ errors: { path: string }[] }>(slash).errors).toEqual([expect.objectContaining({ path: "email" })]);
    });
  });

  describe("edges the door answers or declines itself", () => {
    it("should leave tRPC paths with a trailing slash or a deeper segment to Next", async () => {
      const slash = await send(base, "/api/trpc/tenants.current/", { headers: { cookie } });
      // The door would have run the procedure (200); Next redirects.
      expect(slash.status).toBe(308);
      const deeper = await send(base, "/api/trpc/a/b", { headers: { cookie } });
      expect(deeper.status).toBe(404);
      expect(answeredByNext(deeper)).toBe(true);
    });

    it("should answer an API URL that does not percent-decode with 400 in its family's shape, never a 500", async () => {
      const t = await send(base, "/api/trpc/%E0%A4%A", { headers: { cookie } });
      expect(t.status, t.body).toBe(400);
      expect(json<TrpcError>(t).error.json.data.code).toBe("BAD_REQUEST");
      expectApiSecurityHeaders(t, "tRPC 400");

      const s003 = await rest("DELETE", "/api/v1/tenants/members/%E0%A4%A");
      expect(s003.status, s003.body).toBe(400);
      expect(json<{ title: string; detail: string }>(s003)).toMatchObject({ title: "Bad Request", detail: expect.stringContaining("percent-encoded") });

      const s000 = await rest("GET", "/api/v1/company/%E0%A4%A/users");
      expect(s000.status, s000.body).toBe(400);
      expect(json<{ success: boolean; meta: { message: string } }>(s000)).toMatchObject({ success: false, meta: { message: expect.stringContaining("percent-encoded") } });
    });

    it("should answer the next request on a connection whose last request body was refused unread (413, 401)", async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const { hostname, port, host } = new URL(base);
      const once = (method: string, p: string, headers: Record<string, string>, body?: string) =>
        new Promise<Res>((resolve, reject) => {
          const req = http.request({ agent, hostname, port, path: p, method, headers: { host, ...headers }, timeout: 15_000 }, (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          });
          req.on("timeout", () => req.destroy(new Error(`${method} ${p}: no answer within 15 s`)));
          req.on("error", reject);
          req.end(body);
        });
      try {
        const big = "x".repeat(2_000_000);
        const tooLarge = await once("POST", "/api/trpc/tokens.create", { "content-type": "application/json", origin: base, cookie }, big);
        expect(tooLarge.status).toBe(413);
        expect((await once("GET", "/api/health", {})).status).toBe(200);
        // Under the 1 MB limit, refused for want of tokens before the body is read.
        const unauthenticated = await once("POST", "/api/v1/tenants/members/invite", { "content-type": "application/json" }, big.slice(0, 500_000));
        expect(unauthenticated.status).toBe(401);
        expect((await once("GET", "/api/health", {})).status).toBe(200);
      } finally {
        agent.destroy();
      }
    });
  });

  describe("the client IP on the door's paths", () => {
    const spoof = (tag: string) => ({ "x-roster-peer": SPOOFED, "x-forwarded-for": SPOOFED, "user-agent": `api-door-e2e/${tag}` });

    it("POST /api/trpc/tokens.create - a client-sent x-roster-peer is not the IP the audit log records", async () => {
      const tag = `trpc-${crypto.randomBytes(3).toString("hex")}`;
      const r = await trpcPost("tokens.create", { tenant: DEMO_TENANT, kind: "partner", name: tag }, { ...sameOrigin(), ...spoof(tag) });
      expect(r.status, r.body).toBe(200);
      expect(answeredByNext(r)).toBe(false);
      const event = (await auditEvents("api_token.created")).find((e) => e.userAgent === `api-door-e2e/${tag}`);
      expect(event, "the audit event of this call").toBeDefined();
      expect(event!.ip).toBe("127.0.0.1");
    });

    it("POST /api/v1/auth - a client-sent x-roster-peer is not the IP the audit log records", async () => {
      const tag = `rest-${crypto.randomBytes(3).toString("hex")}`;
      const r = await send(base, "/api/v1/auth", {
        method: "POST",
        headers: { authorization: `Bearer ${partner}`, "content-type": "application/json", ...spoof(tag) },
        body: JSON.stringify({ login: app.owner.email, password: app.owner.password }),
      });
      expect(r.status, r.body).toBe(201);
      expect(answeredByNext(r)).toBe(false);
      const event = (await auditEvents("user_token.issued")).find((e) => e.userAgent === `api-door-e2e/${tag}`);
      expect(event, "the audit event of this call").toBeDefined();
      expect(event!.ip).toBe("127.0.0.1");
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The first request. A server started until healthy has already answered /api/health polls (and a failed poll is
// simply retried), so it cannot show that the first answer is right. This one starts on an EMPTY database and is asked
// nothing until it prints "Listening on".

describe.skipIf(!!skipReason)("a fresh server's very first request", () => {
  let server: AppServer;
  let db: E2eDatabase | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-e2e-door-"));
    let env: Record<string, string> = {};
    if (testDbKind() === "postgres") {
      db = await createE2eDatabase();
      env = { ...env, DATABASE_URL: db.url, NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"), DATA_ENCRYPTION_KEY: crypto.randomBytes(32).toString("hex") };
    }
    server = await startAppServer({ dataDir, env, until: "listening" });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("should answer a REST call as its first request with the seed's 401, on a database boot migrated before listening", async () => {
    // A well-formed unknown token: refusing it reads the token and rate-limit tables, which exist only once boot has
    // migrated the empty database. Before boot ran ahead of listen, this first door request found no tables.
    const first = await send(server.baseUrl, "/api/v1/tenants/members/active", { headers: { authorization: `Bearer rs_pt_${"x".repeat(40)}` } });
    expect(first.status, first.body).toBe(401);
    expect(answeredByNext(first)).toBe(false);
    expect(header(first, "www-authenticate")).toBe('Bearer realm="roster"');
    expect(json<Record<string, unknown>>(first)).toMatchObject({ title: "Unauthorized", detail: "Authentication needed." });

    const health = await send(server.baseUrl, "/api/health");
    expect(health.status).toBe(200);
    expect(json(health)).toEqual({ status: "ok", database: "ok" });
    const log = server.output();
    expect(log.indexOf("Roster is ready")).toBeGreaterThanOrEqual(0);
    expect(log.indexOf("Roster is ready")).toBeLessThan(log.indexOf("Listening on"));
    expect(log).not.toMatch(/\[api\] unhandled error|\[rest\] unexpected error/);
  });
});
