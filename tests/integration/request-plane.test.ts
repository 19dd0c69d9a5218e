/**
 * The request plane (issue 9): tRPC batch size, same-origin POSTs for tRPC and next-auth, REST limits per token and
 * per IP, tRPC calls counted one by one, the security log of refused calls, and invitation-token guessing. Through
 * the real handlers (server/trpc/http.ts is the tRPC route's whole body; the REST and invitation routes are called
 * as they are) against the real database.
 */
import type { Session } from "next-auth";
import superjson from "superjson";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as nextAuthPOST } from "../../app/api/auth/[...nextauth]/route.ts";
import { GET as inviteLanding } from "../../app/invite/[token]/route.ts";
import { GET as activeGET } from "../../app/api/v1/tenants/members/active/route.ts";
import type { RequestMeta } from "../../server/authz/actor.ts";
import { resetEnvCache } from "../../server/env.ts";
import { PEER_HEADER } from "../../server/security/client-ip.ts";
import { handleTrpcRequest, MAX_BATCH_SIZE } from "../../server/trpc/http.ts";
import { callerFor, createTenantWithOwner, addMemberWithRole, createPartnerToken, signIn, systemActor, uniqueEmail, type TestTenant } from "../helpers/factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { inviteWithLink } from "../helpers/invitation-factories.ts";

const t = useTestDb();
let ipCounter = 0;
/** A fresh documentation-range address per test, so per-IP counters never leak between tests. */
const freshIp = () => `198.51.100.${++ipCounter}`;
const meta = (ip: string): RequestMeta => ({ ip, userAgent: "vitest", requestId: "req-plane" });

function withLimits(limits: Record<string, string>) {
  for (const [k, v] of Object.entries(limits)) vi.stubEnv(`RATE_LIMIT_${k}`, v);
  resetEnvCache();
}
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

/** A tRPC HTTP call through the route's handler, as the browser's httpBatchLink sends it. */
async function trpc(
  calls: { path: string; input?: unknown; mutation?: boolean }[],
  opts: { session: Session | null; ip: string; headers?: Record<string, string> },
) {
  const paths = calls.map((c) => c.path).join(",");
  const mutation = calls.some((c) => c.mutation);
  const inputs = Object.fromEntries(calls.map((c, i) => [String(i), superjson.serialize(c.input ?? null)]));
  const url = new URL(`http://localhost/api/trpc/${paths}`);
  url.searchParams.set("batch", "1");
  if (!mutation) url.searchParams.set("input", JSON.stringify(inputs));
  const req = new Request(url, {
    method: mutation ? "POST" : "GET",
    headers: { "content-type": "application/json", host: "localhost", ...(opts.headers ?? {}) },
    ...(mutation ? { body: JSON.stringify(inputs) } : {}),
  });
  const res = await handleTrpcRequest(req, async () => ({ db: t.db, session: opts.session, meta: meta(opts.ip) }));
  const body = (await res.json()) as unknown;
  return { status: res.status, headers: res.headers, body };
}

const errorOf = (item: unknown) => (item as { error?: { json: { message: string; data: { code: string; httpStatus: number } } } }).error?.json;

let tenant: TestTenant;
let owner: Awaited<ReturnType<typeof signIn>>;
let worker: Awaited<ReturnType<typeof signIn>> & { membershipId: number };

beforeAll(async () => {
  const w = await createTenantWithOwner(t.db);
  tenant = w.tenant;
  owner = await signIn(t.db, w.owner);
  const m = await addMemberWithRole(t.db, tenant, { role: "worker" });
  worker = { ...(await signIn(t.db, m.user)), membershipId: m.membership.id };
});

describe("tRPC batches", () => {
  it("should answer a batch of 11 with 400 and run none of its calls", async () => {
    const before = await t.db.invitation.count({ where: { tenantId: tenant.id } });
    const calls = Array.from({ length: MAX_BATCH_SIZE + 1 }, () => ({
      path: "invitations.create", mutation: true, input: { tenant: tenant.slug, email: uniqueEmail("batch"), sendEmail: false },
    }));
    const res = await trpc(calls, { session: owner.session, ip: freshIp() });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("Batch call exceeds maximum size");
    expect(await t.db.invitation.count({ where: { tenantId: tenant.id } })).toBe(before);
  });

  it("should run a batch of 10", async () => {
    const calls = Array.from({ length: MAX_BATCH_SIZE }, () => ({
      path: "invitations.create", mutation: true, input: { tenant: tenant.slug, email: uniqueEmail("batch"), sendEmail: false },
    }));
    const res = await trpc(calls, { session: owner.session, ip: freshIp() });
    expect(res.status).toBe(200);
    expect((res.body as unknown[]).every((item) => !errorOf(item))).toBe(true);
  });

  it("should count every call of a batch against TRPC_USER and answer 429 with Retry-After", async () => {
    withLimits({ TRPC_USER: "5/60" });
    const m = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const me = await signIn(t.db, m.user);
    const calls = Array.from({ length: 8 }, () => ({ path: "account.me" }));
    const res = await trpc(calls, { session: me.session, ip: freshIp() });
    const codes = (res.body as unknown[]).map((item) => errorOf(item)?.data.code ?? "OK");
    expect(codes.filter((c) => c === "OK")).toHaveLength(5);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(3);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("same-origin POSTs", () => {
  const cases: [string, Record<string, string>][] = [
    ["another site's Origin", { origin: "https://evil.example" }],
    ["Origin: null with Sec-Fetch-Site: cross-site", { origin: "null", "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: cross-site without Origin", { "sec-fetch-site": "cross-site" }],
  ];
  for (const [label, headers] of cases) {
    it(`POST /api/trpc - 403 for ${label}, and nothing changes`, async () => {
      const email = uniqueEmail("xorigin");
      const res = await trpc([{ path: "invitations.create", mutation: true, input: { tenant: tenant.slug, email, sendEmail: false } }], {
        session: owner.session, ip: freshIp(), headers,
      });
      expect(res.status).toBe(403);
      expect(errorOf((res.body as unknown[])[0])?.data.code).toBe("FORBIDDEN");
      expect(await t.db.invitation.count({ where: { tenantId: tenant.id, email } })).toBe(0);
    });

    it(`POST /api/auth/callback/credentials - 403 for ${label}`, async () => {
      const req = new Request("http://localhost/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", host: "localhost", ...headers },
        body: "email=a%40b.test&password=x&csrfToken=x",
      });
      const res = await nextAuthPOST(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
      expect(res.status).toBe(403);
    });
  }

  it("POST /api/trpc - a same-origin mutation still works", async () => {
    const email = uniqueEmail("sameorigin");
    const res = await trpc([{ path: "invitations.create", mutation: true, input: { tenant: tenant.slug, email, sendEmail: false } }], {
      session: owner.session, ip: freshIp(), headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" },
    });
    expect(res.status).toBe(200);
    expect(await t.db.invitation.count({ where: { tenantId: tenant.id, email } })).toBe(1);
  });
});

describe("REST limits", () => {
  const active = (authorization: string | undefined, ip: string) =>
    callRoute(activeGET as unknown as RouteHandler, {
      method: "GET", path: "/api/v1/tenants/members/active", headers: { [PEER_HEADER]: ip }, ...(authorization ? { authorization } : {}),
    });

  it("GET /api/v1/tenants/members/active - 429 with Retry-After in the seed 003 shape once a token used REST_TOKEN", async () => {
    withLimits({ REST_TOKEN: "3/60" });
    const { token } = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await active(`Bearer ${token}`, ip));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const last = statuses[3]!;
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last.body).toMatchObject({ title: "Too Many Requests", detail: expect.stringContaining("Too many requests") });
    // Another token has its own budget.
    const other = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    expect((await active(`Bearer ${other.token}`, ip)).status).toBe(200);
  });

  it("GET /api/v1/tenants/members/active - 429 for an IP after TOKEN_AUTH_FAIL_IP failed tokens, even with a good token", async () => {
    withLimits({ TOKEN_AUTH_FAIL_IP: "3/300" });
    const { token } = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await active(`Bearer rs_pt_${"x".repeat(30)}${i}`, ip)).status).toBe(401);
    const blocked = await active(`Bearer ${token}`, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await active(`Bearer ${token}`, freshIp())).status).toBe(200);
  });
});

describe("the security log", () => {
  const denied = (userId: number | null, tokenId: number | null = null) =>
    t.db.auditEvent.findMany({ where: { action: "security.denied", ...(userId ? { actorUserId: userId } : {}), ...(tokenId ? { actorTokenId: tokenId } : {}) } });

  it("should record a refused tRPC call once per actor, procedure and minute", async () => {
    const ip = freshIp();
    const call = () => trpc([{ path: "members.remove", mutation: true, input: { tenant: tenant.slug, id: worker.membershipId } }], { session: worker.session, ip });
    const first = await call();
    expect(errorOf((first.body as unknown[])[0])?.data.code).toBe("FORBIDDEN");
    const rows = await denied(worker.session.user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenantId: tenant.id, actorType: "USER", targetType: "route", targetId: "members.remove", ip });
    expect(rows[0]!.after).toMatchObject({ route: "members.remove", reason: "forbidden", ip });
    await call();
    expect(await denied(worker.session.user.id)).toHaveLength(1);
  });

  it("should record a non-member's 404 without a tenant, as an event of the caller's account", async () => {
    const other = await createTenantWithOwner(t.db);
    const outsider = await signIn(t.db, other.owner);
    await expect(outsider.caller.members.list({ tenant: tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await denied(other.owner.id)).toHaveLength(0);
    const rows = await t.db.accountEvent.findMany({ where: { action: "security.denied", actorUserId: other.owner.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: other.owner.id, actorType: "USER", targetId: "members.list" });
    expect(rows[0]!.after).toMatchObject({ reason: "not_found" });
  });

  it("should record a refused REST call once per token, route pattern and minute", async () => {
    const { token } = await createPartnerToken(t.db, tenant, { scopes: [] });
    const row = await t.db.apiToken.findFirstOrThrow({ where: { tenantId: tenant.id }, orderBy: { id: "desc" }, select: { id: true } });
    const ip = freshIp();
    expect((await active(`Bearer ${token}`, ip)).status).toBe(403);
    expect((await active(`Bearer ${token}`, ip)).status).toBe(403);
    const rows = await denied(null, row.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenantId: tenant.id, actorType: "TOKEN", targetId: "GET /api/v1/tenants/members/active", ip });
  });

  function active(authorization: string, ip: string) {
    return callRoute(activeGET as unknown as RouteHandler, { method: "GET", path: "/api/v1/tenants/members/active", headers: { [PEER_HEADER]: ip }, authorization });
  }
});

describe("invitation-token guessing", () => {
  it("should refuse an IP with 429 after INVITE_TOKEN_IP failed lookups on preview, accept and the landing", async () => {
    withLimits({ INVITE_TOKEN_IP: "3/600" });
    const ip = freshIp();
    const anon = callerFor(t.db, null, meta(ip));
    const guess = (i: number) => `guess${"x".repeat(30)}${i}`;
    for (let i = 0; i < 2; i++) expect(await anon.invitations.preview({ rawToken: guess(i) })).toBeNull();
    const signedIn = callerFor(t.db, worker.session, meta(ip));
    await expect(signedIn.invitations.accept({ rawToken: guess(9) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Three failures used the budget: a real invitation is not even looked up from this IP now.
    const real = await inviteWithLink(t.db, systemActor(tenant));
    await expect(anon.invitations.preview({ rawToken: real.token })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const landing = await inviteLanding(
      new Request(`http://localhost/invite/${real.token}`, { headers: { [PEER_HEADER]: ip } }) as never,
      { params: Promise.resolve({ token: real.token }) },
    );
    expect(landing.status).toBe(429);
    expect(Number(landing.headers.get("retry-after"))).toBeGreaterThan(0);
    // Someone else opens the same link normally.
    expect(await callerFor(t.db, null, meta(freshIp())).invitations.preview({ rawToken: real.token })).toMatchObject({ tenantSlug: tenant.slug });
  });

  it("should refuse invitations beyond INVITES_TENANT per tenant with 429, counting bulk items one by one", async () => {
    withLimits({ INVITES_TENANT: "3/3600" });
    const w = await createTenantWithOwner(t.db);
    const o = await signIn(t.db, w.owner);
    await o.caller.invitations.createMany({ tenant: w.tenant.slug, items: [{ email: uniqueEmail("a"), sendEmail: false }, { email: uniqueEmail("b"), sendEmail: false }] });
    await o.caller.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("c"), sendEmail: false });
    await expect(o.caller.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("d"), sendEmail: false })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await t.db.invitation.count({ where: { tenantId: w.tenant.id } })).toBe(3);
  });
});
