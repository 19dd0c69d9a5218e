/**
 * Sessions, credentials, CSRF-by-GET and secrets in the log, against the running app (issue 9, "Guarantees"):
 * - revoked, expired, tampered, foreign-secret and garbage session cookies give 401 on /api/trpc and /api/v1 and a
 *   redirect to /signin on pages, never 500; malformed bearer headers (garbage, wrong scheme, too long, two tokens,
 *   unicode) give 401;
 * - the REST API ignores cookies entirely (a valid session cookie alone is 401 and writes nothing);
 * - cookie-authenticated state never changes on GET: every tRPC mutation (inventory read from the app router)
 *   called with GET is refused (405) and changes nothing;
 * - an unknown tenant slug and a closed tenant look the same on the join page; an unknown invitation link and a
 *   cancelled one land alike;
 * - the server's whole log of this run holds none of the secrets the run issued (session cookies, API tokens from
 *   POST /api/v1/auth and the tokens page's procedure, invitation links from sendEmail: false, a password-reset link
 *   read from the email, a two-factor seed, its recovery codes and a sign-in challenge).
 */
import fs from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";
import { trpcProcedures } from "../helpers/sweep-inventory.ts";
import { DEMO_TENANT, startAccessApp, type AccessApp } from "./helpers/access-app.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { cookiesOf, signInOverHttp, trpcMutation, trpcQuery, type HttpSession } from "./helpers/http-session.ts";

const skipReason = serverSkipReason();
if (skipReason) console.warn(`\n!! e2e HTTP sweep SKIPPED: ${skipReason}\n`);

/**
 * The sweep sends hundreds of bad credentials from one address on purpose; with the default limits the failure
 * throttles (TOKEN_AUTH_FAIL_IP, INVITE_TOKEN_IP...) would answer 429 long before the sweep is through. The limits are
 * configurable for exactly this (README, Rate limits); their own tests live beside the limits.
 */
const SWEEP_LIMITS = Object.fromEntries(
  ["TOKEN_AUTH_FAIL_IP", "TRPC_IP", "TRPC_USER", "REST_TOKEN", "INVITE_TOKEN_IP", "SIGNIN_ACCOUNT_IP", "SIGNIN_ACCOUNT", "SIGNIN_IP", "INVITES_TENANT"].map((n) => [`RATE_LIMIT_${n}`, "100000/60"]),
);

let app: AccessApp;
let sink: SmtpSink;
let base: string;
let owner: HttpSession;
/** Every secret this run was handed, for the log check at the end. */
const issued: { kind: string; value: string }[] = [];
let partnerToken = "";
let userToken = "";

beforeAll(async () => {
  if (skipReason) return;
  // Real SMTP delivery, so the log check also covers a password-reset link read from its email.
  sink = await startSmtpSink();
  app = await startAccessApp({ serverEnv: { ...SWEEP_LIMITS, SMTP_URL: sink.url }, onClose: () => sink.stop() });
  base = app.server.baseUrl;
  owner = await signInOverHttp(base, app.owner);
  issued.push({ kind: "owner session cookie", value: owner.sessionCookie.value });
  const created = await trpcMutation(base, "tokens.create", { tenant: DEMO_TENANT, kind: "partner", name: "sweep" }, { cookie: owner.cookie });
  expect(created.error, JSON.stringify(created)).toBeNull();
  partnerToken = (created.data as { token: string }).token;
  issued.push({ kind: "partner token", value: partnerToken });
  const auth = await fetch(`${base}/api/v1/auth`, {
    method: "POST", headers: { authorization: `Bearer ${partnerToken}`, "content-type": "application/json" },
    body: JSON.stringify({ login: app.worker.email, password: app.worker.password }),
  });
  expect(auth.status).toBe(201);
  userToken = ((await auth.json()) as { data: { user_token: string } }).data.user_token;
  issued.push({ kind: "user token", value: userToken });
}, 240_000);
afterAll(() => app?.close());

/** The secret the server signs its session cookies with (generated into the data directory in local mode). */
function serverSecret(): string {
  if (app.dbEnv.NEXTAUTH_SECRET) return app.dbEnv.NEXTAUTH_SECRET;
  return fs.readFileSync(path.join(app.server.dataDir, "nextauth-secret"), "utf8").trim();
}

const withCookie = (name: string, value: string) => ({ cookie: `${name}=${value}` });

describe.skipIf(!!skipReason)("sessions and credentials over HTTP", () => {
  type Bad = { label: string; headers: () => Promise<Record<string, string>> };
  const badCookies: Bad[] = [
    { label: "no cookie", headers: async () => ({}) },
    { label: "a garbage session cookie", headers: async () => withCookie(owner.sessionCookie.name, "garbage") },
    {
      label: "a tampered session cookie (one character changed)",
      headers: async () => {
        const v = owner.sessionCookie.value;
        const i = Math.floor(v.length / 2);
        return withCookie(owner.sessionCookie.name, v.slice(0, i) + (v[i] === "A" ? "B" : "A") + v.slice(i + 1));
      },
    },
    {
      label: "a cookie signed with a foreign secret",
      headers: async () => withCookie(owner.sessionCookie.name, await encode({ token: { sub: "1", uid: 1, sid: "rs_sess_x", sessionId: 1 }, secret: "not-the-server-secret-0123456789abcdef", maxAge: 3600 })),
    },
    {
      label: "an expired cookie signed with the server's own secret",
      headers: async () => withCookie(owner.sessionCookie.name, await encode({ token: { sub: "1", uid: 1, sid: "rs_sess_x", sessionId: 1 }, secret: serverSecret(), maxAge: -60 })),
    },
    {
      label: "a well-signed cookie naming a session that does not exist",
      headers: async () => withCookie(owner.sessionCookie.name, await encode({ token: { sub: "1", uid: 1, sid: "rs_sess_no_such_session_secret_000000000000", sessionId: 999999 }, secret: serverSecret(), maxAge: 3600 })),
    },
    {
      label: "a revoked session's cookie",
      headers: async () => {
        const other = await signInOverHttp(base, app.owner);
        issued.push({ kind: "revoked session cookie", value: other.sessionCookie.value });
        const mine = await trpcQuery(base, "account.sessions", null, { cookie: other.cookie });
        const rows = mine.data as { id: number; createdAt: string }[];
        const newest = rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
        const revoked = await trpcMutation(base, "account.revokeSession", { id: newest.id }, { cookie: owner.cookie });
        expect(revoked.error, JSON.stringify(revoked)).toBeNull();
        return { cookie: other.cookie };
      },
    },
  ];

  for (const bad of badCookies) {
    it(`should answer ${bad.label} with 401 on tRPC and /api/v1 and a redirect to /signin on pages`, async () => {
      const headers = await bad.headers();
      for (const p of ["account.me", "tenants.list"]) {
        const r = await trpcQuery(base, p, null, headers);
        expect({ p, status: r.status, code: r.error?.code }).toEqual({ p, status: 401, code: "UNAUTHORIZED" });
      }
      const tenant = await trpcQuery(base, "members.list", { tenant: DEMO_TENANT }, headers);
      expect(tenant.status).toBe(401);
      const mutation = await trpcMutation(base, "units.create", { tenant: DEMO_TENANT, name: "Never", kind: "LOCATION" }, headers);
      expect(mutation.status).toBe(401);
      const rest = await fetch(`${base}/api/v1/tenants/members/active`, { headers });
      expect(rest.status).toBe(401);
      const page = await fetch(`${base}/t/${DEMO_TENANT}/members`, { headers, redirect: "manual" });
      expect(page.status, `page status for ${bad.label}`).toBeGreaterThanOrEqual(300);
      expect(page.status).toBeLessThan(400);
      expect(page.headers.get("location") ?? "").toContain("/signin");
    });
  }

  const malformed: { label: string; value: () => string }[] = [
    { label: "garbage", value: () => "garbage" },
    { label: "an empty bearer", value: () => "Bearer " },
    { label: "the wrong scheme", value: () => `Basic ${Buffer.from("owner:password").toString("base64")}` },
    { label: "a token under another scheme", value: () => `Token ${partnerToken}` },
    { label: "a too-long token", value: () => `Bearer ${"a".repeat(10_000)}` },
    { label: "two bearer tokens", value: () => `Bearer ${partnerToken} Bearer ${partnerToken}` },
    { label: "two tokens, comma-separated, neither a user token", value: () => `Bearer ${partnerToken}, Bearer ${partnerToken}` },
    { label: "a pair with the user token first", value: () => `Bearer ${userToken}, User ${partnerToken}` },
    // Header values travel as bytes: UTF-8 bytes of a Cyrillic token, as Latin-1 characters on the wire.
    { label: "unicode", value: () => `Bearer ${Buffer.from("токен-токен-токен-токен", "utf8").toString("latin1")}` },
    { label: "a valid token with a NUL-free control character", value: () => `Bearer ${partnerToken}\t\tx` },
    { label: "a revoked-looking prefix only", value: () => "Bearer rs_pt_" },
  ];
  for (const m of malformed) {
    it(`should answer a bearer header with ${m.label} with 401 on /api/v1 (both dialects) and never 500`, async () => {
      const headers = { authorization: m.value() };
      for (const p of ["/api/v1/tenants/members/active", `/api/v1/company/${app.depot.id}/users`, "/api/v1/tenants/members/pending"]) {
        const res = await fetch(`${base}${p}`, { headers });
        expect({ p, status: res.status }).toEqual({ p, status: 401 });
      }
      const post = await fetch(`${base}/api/v1/tenants/members/invite`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ email: "never@example.test", sendEmail: false }) });
      expect(post.status).toBe(401);
      const trpc = await trpcQuery(base, "account.me", null, headers);
      expect(trpc.status).toBe(401);
    });
  }

  it("should ignore a valid session cookie on /api/v1 entirely: 401 on every family, nothing written", async () => {
    const before = await newestAudit();
    const h = { cookie: owner.cookie };
    for (const p of ["/api/v1/tenants/members/active", "/api/v1/tenants/members/pending", `/api/v1/company/${app.depot.id}/users`, `/api/v1/user/permissions/${app.depot.id}`]) {
      expect({ p, status: (await fetch(`${base}${p}`, { headers: h })).status }).toEqual({ p, status: 401 });
    }
    const writes = [
      fetch(`${base}/api/v1/tenants/members/invite`, { method: "POST", headers: { ...h, "content-type": "application/json", origin: base }, body: JSON.stringify({ email: "cookie-only@example.test", sendEmail: false }) }),
      fetch(`${base}/api/v1/tenants/members/remove/${encodeURIComponent(app.worker.email)}`, { headers: h }),
      fetch(`${base}/api/v1/company/${app.depot.id}/users/${app.worker.userId}`, { method: "DELETE", headers: { ...h, origin: base } }),
    ];
    for (const res of await Promise.all(writes)) expect(res.status).toBe(401);
    expect(await newestAudit()).toEqual(before);
    const still = await trpcQuery(base, "members.get", { tenant: DEMO_TENANT, id: app.worker.membershipId }, { cookie: owner.cookie });
    expect(still.error).toBeNull();
  });

  it("should change nothing when any tRPC mutation is sent as a GET with a valid session cookie (405)", async () => {
    const mutations = trpcProcedures().filter((p) => p.type === "mutation");
    expect(mutations.length).toBeGreaterThan(20);
    const before = await newestAudit();
    const membersBefore = await trpcQuery(base, "members.list", { tenant: DEMO_TENANT }, { cookie: owner.cookie });
    for (const m of mutations) {
      const input = { tenant: DEMO_TENANT, id: app.worker.membershipId, unitId: app.depot.id, userId: app.worker.userId, name: "via GET", kind: "LOCATION" };
      const r = await trpcQuery(base, m.path, input, { cookie: owner.cookie });
      expect({ path: m.path, status: r.status }, JSON.stringify(r.error)).toEqual({ path: m.path, status: 405 });
    }
    expect(await newestAudit()).toEqual(before);
    const membersAfter = await trpcQuery(base, "members.list", { tenant: DEMO_TENANT }, { cookie: owner.cookie });
    expect(membersAfter.data).toEqual(membersBefore.data);
  });
});

describe.skipIf(!!skipReason)("input over HTTP (tRPC)", () => {
  const post = (path: string, body: string) =>
    fetch(`${base}/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", origin: base, "sec-fetch-site": "same-origin", cookie: owner.cookie }, body });
  const unitCount = async () => ((await trpcQuery(base, "units.list", { tenant: DEMO_TENANT, includeArchived: true }, { cookie: owner.cookie })).data as unknown[]).length;

  it("should answer a tRPC body over 1 MB with 413 and write nothing", async () => {
    const before = await unitCount();
    const res = await post("units.create?batch=1", JSON.stringify({ 0: { json: { tenant: DEMO_TENANT, name: "x".repeat(1_100_000), kind: "LOCATION" } } }));
    expect(res.status).toBe(413);
    expect(await unitCount()).toBe(before);
  });

  it("should answer a batch of 11 calls with 400 and run none of them", async () => {
    const before = await unitCount();
    const paths = Array.from({ length: 11 }, () => "units.create").join(",");
    const body = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i, { json: { tenant: DEMO_TENANT, name: `Batch ${i}`, kind: "LOCATION" } }]));
    const res = await post(`${paths}?batch=1`, JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(await unitCount()).toBe(before);
  });

  it("should refuse __proto__ and constructor keys and operator objects in a tRPC body (400/422), writing nothing", async () => {
    const before = await unitCount();
    const bodies = [
      `{"0":{"json":{"tenant":"${DEMO_TENANT}","name":"Proto","kind":"LOCATION","__proto__":{"archivedAt":null}}}}`,
      `{"0":{"json":{"tenant":"${DEMO_TENANT}","name":"Ctor","kind":"LOCATION","constructor":{"prototype":{"x":1}}}}}`,
      `{"0":{"json":{"tenant":"${DEMO_TENANT}","name":{"contains":""},"kind":"LOCATION"}}}`,
      `{"0":{"json":{"tenant":{"contains":""},"name":"Op","kind":"LOCATION"}}}`,
    ];
    for (const b of bodies) {
      const res = await post("units.create?batch=1", b);
      expect([400, 404, 422], `${b}: ${res.status}`).toContain(res.status);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(await unitCount()).toBe(before);
  });
});

/** The newest audit events of the demo tenant, refusals left out (a refusal is recorded by design). */
async function newestAudit() {
  const r = await trpcQuery(base, "audit.list", { tenant: DEMO_TENANT, limit: 20 }, { cookie: owner.cookie });
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  return (r.data as { items: { id: string; action: string }[] }).items.filter((e) => e.action !== "security.denied").map((e) => `${e.id} ${e.action}`);
}

/** A page's visible text: scripts, styles and tags dropped, so per-request nonces and payload ids do not count. */
const visibleText = (html: string) =>
  html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<style[\s\S]*?<\/style>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();

describe.skipIf(!!skipReason)("enumeration over HTTP", () => {
  it("should show an unknown tenant slug and a closed tenant alike on /join/[tenant]", async () => {
    const settings = await trpcQuery(base, "settings.get", { tenant: DEMO_TENANT }, { cookie: owner.cookie });
    expect((settings.data as { joinPolicy: string }).joinPolicy).toBe("CLOSED");
    const [closed, unknown] = await Promise.all([fetch(`${base}/join/${DEMO_TENANT}`), fetch(`${base}/join/no-such-tenant-zz9`)]);
    expect(closed.status).toBe(unknown.status);
    const norm = (html: string, slug: string) => visibleText(html).split(slug).join("<slug>");
    expect(norm(await closed.text(), DEMO_TENANT)).toBe(norm(await unknown.text(), "no-such-tenant-zz9"));
  });

  it("should land an unknown invitation link and a cancelled one on the same page", async () => {
    const email = `cancelled-${Date.now()}@example.test`;
    const res = await fetch(`${base}/api/v1/tenants/members/invite`, {
      method: "POST", headers: { authorization: `Bearer ${partnerToken}`, "content-type": "application/json" }, body: JSON.stringify({ email, sendEmail: false }),
    });
    expect(res.status).toBe(201);
    const inviteUrl = ((await res.json()) as { inviteUrl: string }).inviteUrl;
    issued.push({ kind: "invitation link", value: inviteUrl.split("/invite/")[1]! });
    expect((await fetch(`${base}/api/v1/tenants/members/invite/cancel/${encodeURIComponent(email)}`, { headers: { authorization: `Bearer ${partnerToken}` } })).status).toBe(204);
    const land = async (token: string) => {
      const first = await fetch(`${base}/invite/${token}`, { redirect: "manual" });
      const cookie = first.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      const page = await fetch(new URL(first.headers.get("location") ?? "/invite", base), { headers: { cookie } });
      return { redirect: first.status, status: page.status, text: visibleText(await page.text()) };
    };
    const spent = await land(inviteUrl.split("/invite/")[1]!);
    const unknown = await land(`rs_inv_${"Q".repeat(43)}`);
    expect(spent).toEqual(unknown);
  });
});

describe.skipIf(!!skipReason)("secrets never reach the server log", () => {
  it("should print none of the session cookies, API tokens, invitation and reset links and two-factor secrets issued in this run", async () => {
    // One more invitation link and one more user token, issued last so the log has had every chance to show them.
    const res = await fetch(`${base}/api/v1/tenants/members/invite`, {
      method: "POST", headers: { authorization: `Bearer ${partnerToken}`, "content-type": "application/json" },
      body: JSON.stringify({ email: `log-${Date.now()}@example.test`, sendEmail: false }),
    });
    expect(res.status).toBe(201);
    issued.push({ kind: "invitation link", value: ((await res.json()) as { inviteUrl: string }).inviteUrl.split("/invite/")[1]! });

    // A password-reset link, as its recipient reads it from the email.
    const mailsBefore = sink.inbox.length;
    expect((await trpcMutation(base, "account.requestPasswordReset", { email: app.worker.email })).error).toBeNull();
    const mails = await sink.waitFor(mailsBefore + 1, 60_000);
    const resetToken = /reset-password\?token=([A-Za-z0-9_\-.~]+)/.exec(mails.slice(mailsBefore).map((m) => m.text ?? "").join("\n"))?.[1];
    expect(resetToken, "the reset email holds a link").toBeTruthy();
    issued.push({ kind: "password-reset link", value: resetToken! });

    // Two-factor: the seed shown for enrolment, the recovery codes shown once, and a sign-in challenge.
    const worker = await signInOverHttp(base, app.worker);
    const started = await trpcMutation(base, "account.startTwoFactor", null, { cookie: worker.cookie });
    expect(started.error, JSON.stringify(started)).toBeNull();
    const seed = (started.data as { secret: string }).secret.replace(/\s+/g, "");
    issued.push({ kind: "two-factor seed", value: seed });
    const enabled = await trpcMutation(base, "account.enableTwoFactor", { code: await generate({ secret: seed }) }, { cookie: worker.cookie });
    expect(enabled.error, JSON.stringify(enabled)).toBeNull();
    for (const c of (enabled.data as { recoveryCodes: string[] }).recoveryCodes) issued.push({ kind: "recovery code", value: c });
    const csrf = await fetch(`${base}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const step = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; "), origin: base },
      body: new URLSearchParams({ email: app.worker.email, password: app.worker.password, csrfToken, json: "true" }).toString(),
    });
    const where = decodeURIComponent(`${step.headers.get("location") ?? ""} ${await step.text()}`);
    const challenge = /TwoFactorRequired:(rs_2fa_[A-Za-z0-9_\-]+)/.exec(where)?.[1];
    expect(challenge, `the password step answers with a challenge: ${where.slice(0, 200)}`).toBeTruthy();
    issued.push({ kind: "sign-in challenge", value: challenge! });

    expect(issued.map((i) => i.kind)).toEqual(expect.arrayContaining([
      "owner session cookie", "partner token", "user token", "invitation link", "revoked session cookie",
      "password-reset link", "two-factor seed", "recovery code", "sign-in challenge",
    ]));
    await new Promise((r) => setTimeout(r, 500));
    const log = app.server.output();
    expect(log.length).toBeGreaterThan(0);
    const leaked = issued.filter((i) => log.includes(i.value) || log.includes(i.value.slice(-24))).map((i) => i.kind);
    expect(leaked).toEqual([]);
  });
});
