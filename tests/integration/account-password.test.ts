/**
 * Passwords (issue 9, capability 2 and the sign-in lockout): the policy, "Forgot password?" (one answer and about
 * the same time for known and unknown addresses), reset from the emailed link over real SMTP (single use, 30
 * minutes, every session ends, locks lifted, verified, audited, told by email), change on the account page, and the
 * sign-in throttle per (account, IP) with a slower per-account ceiling.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPOST } from "../../app/api/v1/auth/route.ts";
import { findAccountToken, RESET_PASSWORD_TTL_MS } from "../../server/auth/account-tokens.ts";
import { verifyCredentials } from "../../server/auth/credentials.ts";
import { isCommonPassword, passwordProblem } from "../../server/auth/password-policy.ts";
import { resolveSession } from "../../server/auth/sessions.ts";
import { createSmtpMailer } from "../../server/email/transport.ts";
import { runDueJobs } from "../../server/jobs/queue.ts";
import { hit, limit, signInAccountKey } from "../../server/security/rate-limit.ts";
import { PEER_HEADER } from "../../server/security/client-ip.ts";
import { RESET_REQUESTED, requestPasswordReset } from "../../server/services/account/request-password-reset.ts";
import { resetPassword } from "../../server/services/account/reset-password.ts";
import { signUpForJoin } from "../../server/services/join-requests/sign-up-for-join.ts";
import { useTestDb } from "../helpers/db.ts";
import {
  callerFor, createPartnerToken, createTenantWithOwner, PASSWORD, SESSION_POLICY, signIn, TEST_META, uniqueEmail,
} from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";

const t = useTestDb();
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink?.stop());

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
const NEW_PASSWORD = "a-brand-new-passphrase-42";

/** Sends the queued email over SMTP and returns the message sent to `to` with its link token. */
async function deliver(to: string, pattern: RegExp) {
  const before = sink.inbox.length;
  await runDueJobs(t.db, { deps: { mailer: createSmtpMailer({ url: sink.url, from: "Roster <no-reply@roster.test>" }) } });
  const inbox = await sink.waitFor(before + 1);
  const mail = inbox.slice(before).find((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null) === to);
  expect(mail, `an email to ${to}`).toBeDefined();
  const match = pattern.exec(mail!.text ?? "");
  return { mail: mail!, token: match?.[1] ?? null };
}
const RESET_LINK = /https?:\/\/\S+\/reset-password\?token=(rs_pr_[A-Za-z0-9_-]{43})/;

describe("password policy", () => {
  it("should refuse under 12 and over 128 characters and the common breached passwords, case-insensitively", () => {
    expect(passwordProblem("eleven-char")).toBe("must be at least 12 characters");
    expect(passwordProblem("x".repeat(129))).toBe("must be at most 128 characters");
    expect(isCommonPassword("qwerty123456")).toBe(true);
    expect(isCommonPassword("QWERTY123456")).toBe(true);
    expect(passwordProblem("Password1234")).toMatch(/most common passwords/);
    expect(passwordProblem(PASSWORD)).toBeNull();
    expect(passwordProblem("x".repeat(128))).toBeNull();
  });

  it("should answer 422 naming the field with the specific message on a sign-up, a reset and a change", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    await t.db.tenant.update({ where: { id: tenant.id }, data: { joinPolicy: "OPEN" } });
    await expect(signUpForJoin(t.db, { tenantSlug: tenant.slug, email: uniqueEmail("pol"), password: "qwerty123456", firstName: "P", lastName: "O" }))
      .rejects.toMatchObject({ code: "UNPROCESSABLE", issues: [{ path: "password", message: expect.stringMatching(/most common passwords/) }] });
    await expect(resetPassword(t.db, { token: "rs_pr_x", password: "Password1234" }, TEST_META))
      .rejects.toMatchObject({ code: "UNPROCESSABLE", issues: [{ path: "password" }] });
    const { caller } = await signIn(t.db, owner);
    await expect(caller.account.changePassword({ currentPassword: PASSWORD, newPassword: "short-one" }))
      .rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: "New password: must be at least 12 characters" });
  });
});

describe("forgot password", () => {
  it("should answer known and unknown addresses alike, in about the same time, and queue an email only for the known one", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const ghost = uniqueEmail("ghost");
    const caller = callerFor(t.db, null);
    const jobsBefore = await t.db.job.count();
    const time = async (email: string) => {
      const start = performance.now();
      const out = await caller.account.requestPasswordReset({ email });
      return { out, ms: performance.now() - start };
    };
    // Warm up both paths (template compilation, prepared statements) before measuring.
    await time(uniqueEmail("warm"));
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      const k = await time(owner.email);
      const u = await time(i === 0 ? ghost : uniqueEmail("ghost"));
      expect(k.out).toEqual({ message: RESET_REQUESTED });
      expect(u.out).toEqual(k.out);
      known.push(k.ms);
      unknown.push(u.ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    // Generous: the unknown path must not be several times faster (or slower) than the known one.
    expect(median(unknown)).toBeGreaterThan(median(known) / 4);
    expect(median(unknown)).toBeLessThan(median(known) * 4 + 50);
    expect(await t.db.job.count()).toBe(jobsBefore + 3);
    expect(await t.db.emailDelivery.count({ where: { to: ghost } })).toBe(0);
    expect(await t.db.accountToken.count({ where: { userId: owner.id, kind: "RESET_PASSWORD", usedAt: null } })).toBe(1);
  });

  it("should rate-limit per address with the same 429 for a known and an unknown one", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++) {
      await requestPasswordReset(t.db, { email: owner.email });
      await requestPasswordReset(t.db, { email: ghost });
    }
    const a = await failure(requestPasswordReset(t.db, { email: owner.email }));
    const b = await failure(requestPasswordReset(t.db, { email: ghost }));
    expect(a).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const shape = (e: unknown) => (e as { code: string; userMessage: string }).code + (e as { userMessage: string }).userMessage.replace(/\d+ seconds/, "N seconds");
    expect(shape(b)).toBe(shape(a));
  });
});

describe("password reset from the emailed link", () => {
  it("should set the password from the link over SMTP, end every session, verify, audit and tell the person", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    await t.db.tenant.update({ where: { id: tenant.id }, data: { joinPolicy: "OPEN" } });
    const email = uniqueEmail("reset");
    await signUpForJoin(t.db, { tenantSlug: tenant.slug, email, password: PASSWORD, firstName: "Rae", lastName: "Set" });
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).toBeNull();
    const one = await signIn(t.db, user);
    const two = await signIn(t.db, user);
    await deliver(email, /verify-email/); // the sign-up's verification email

    await requestPasswordReset(t.db, { email });
    const { mail, token } = await deliver(email, RESET_LINK);
    expect(mail.subject).toBe("Reset your Roster password");
    expect(token).not.toBeNull();
    const row = await findAccountToken(t.db, token!, "RESET_PASSWORD");
    // Stored as a hash only, expiring in 30 minutes.
    expect(await t.db.accountToken.count({ where: { tokenHash: token! } })).toBe(0);
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(RESET_PASSWORD_TTL_MS - 60_000);
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(RESET_PASSWORD_TTL_MS);

    await expect(callerFor(t.db, null).account.checkResetToken({ token: token! })).resolves.toEqual({ state: "valid" });
    await expect(callerFor(t.db, null).account.resetPassword({ token: token!, password: NEW_PASSWORD })).resolves.toEqual({ email });

    const after = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordChangedAt).not.toBeNull();
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await resolveSession(t.db, one.secret, SESSION_POLICY)).toBeNull();
    expect(await resolveSession(t.db, two.secret, SESSION_POLICY)).toBeNull();
    await expect(verifyCredentials(t.db, email, PASSWORD)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(verifyCredentials(t.db, email, NEW_PASSWORD)).resolves.toMatchObject({ id: user.id });
    expect(await t.db.accountEvent.count({ where: { action: "user.password_reset", targetId: String(user.id) } })).toBe(1);
    const notice = await deliver(email, /(.*)/);
    expect(notice.mail.subject).toBe("Your Roster password was changed");

    // Single use.
    await expect(resetPassword(t.db, { token: token!, password: "yet-another-passphrase-7" }, TEST_META))
      .rejects.toMatchObject({ code: "UNPROCESSABLE", reason: "RESET_LINK_USED" });
  });

  it("should refuse an expired link, a superseded one and a made-up one, changing nothing", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    await requestPasswordReset(t.db, { email: owner.email });
    const first = (await deliver(owner.email, RESET_LINK)).token!;
    await requestPasswordReset(t.db, { email: owner.email });
    const second = (await deliver(owner.email, RESET_LINK)).token!;
    await expect(resetPassword(t.db, { token: first, password: NEW_PASSWORD }, TEST_META)).rejects.toMatchObject({ reason: "RESET_LINK_USED" });
    await t.db.accountToken.updateMany({ where: { userId: owner.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(resetPassword(t.db, { token: second, password: NEW_PASSWORD }, TEST_META)).rejects.toMatchObject({ reason: "RESET_LINK_EXPIRED" });
    await expect(resetPassword(t.db, { token: `rs_pr_${"A".repeat(43)}`, password: NEW_PASSWORD }, TEST_META)).rejects.toMatchObject({ reason: "RESET_LINK_INVALID" });
    await expect(verifyCredentials(t.db, owner.email, PASSWORD)).resolves.toMatchObject({ id: owner.id });
  });

  it("should let exactly one of two concurrent resets with the same link win", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    await requestPasswordReset(t.db, { email: owner.email });
    const token = (await deliver(owner.email, RESET_LINK)).token!;
    const results = await Promise.allSettled([
      resetPassword(t.db, { token, password: "first-racer-passphrase-1" }, TEST_META),
      resetPassword(t.db, { token, password: "second-racer-passphrase-2" }, TEST_META),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.accountEvent.count({ where: { action: "user.password_reset", targetId: String(owner.id) } })).toBe(1);
  });
});

describe("password change on the account page", () => {
  it("should need the current password, sign out the other sessions by default, audit and email", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const here = await signIn(t.db, owner);
    const other = await signIn(t.db, owner);
    await expect(here.caller.account.changePassword({ currentPassword: "not-my-password", newPassword: NEW_PASSWORD }))
      .rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", cause: { issues: [{ path: "currentPassword", message: "is not your current password" }] } });
    await expect(here.caller.account.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).resolves.toEqual({ signedOut: 1 });
    expect(await resolveSession(t.db, other.secret, SESSION_POLICY)).toBeNull();
    // The current session stays (marked for rotation: the page swaps its cookie next).
    expect(await resolveSession(t.db, here.secret, SESSION_POLICY)).not.toBeNull();
    await expect(verifyCredentials(t.db, owner.email, NEW_PASSWORD)).resolves.toMatchObject({ id: owner.id });
    expect(await t.db.accountEvent.count({ where: { action: "user.password_changed", targetId: String(owner.id) } })).toBe(1);
    const { mail } = await deliver(owner.email, /(.*)/);
    expect(mail.subject).toBe("Your Roster password was changed");
  });

  it("should keep the other sessions when the person unticks sign out other sessions", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const here = await signIn(t.db, owner);
    const other = await signIn(t.db, owner);
    await expect(here.caller.account.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, signOutOtherSessions: false }))
      .resolves.toEqual({ signedOut: 0 });
    expect(await resolveSession(t.db, other.secret, SESSION_POLICY)).not.toBeNull();
  });
});

describe("sign-in lockout per account and IP", () => {
  const IP_A = "198.51.100.10";
  const IP_B = "198.51.100.20";

  it("should lock IP A after ten wrong passwords but let the owner sign in from IP B", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    for (let i = 1; i <= 10; i++) {
      await expect(verifyCredentials(t.db, owner.email, `wrong-${i}`, { ip: IP_A }), `attempt ${i}`).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await expect(verifyCredentials(t.db, owner.email, PASSWORD, { ip: IP_A })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(verifyCredentials(t.db, owner.email, PASSWORD, { ip: IP_B })).resolves.toMatchObject({ id: owner.id });
  });

  it("should lock the account everywhere at the global ceiling, and a password reset should lift it", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    // As if 100 wrong passwords had come from all over the internet.
    await hit(t.db, signInAccountKey(owner.email), limit("signInAccount"), new Date(), limit("signInAccount").points);
    await expect(verifyCredentials(t.db, owner.email, PASSWORD, { ip: IP_A })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(verifyCredentials(t.db, owner.email, PASSWORD, { ip: IP_B })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    for (let i = 0; i < 10; i++) await failure(verifyCredentials(t.db, owner.email, "wrong", { ip: IP_A }));

    await requestPasswordReset(t.db, { email: owner.email });
    const token = (await deliver(owner.email, RESET_LINK)).token!;
    await resetPassword(t.db, { token, password: NEW_PASSWORD }, TEST_META);
    await expect(verifyCredentials(t.db, owner.email, NEW_PASSWORD, { ip: IP_A })).resolves.toMatchObject({ id: owner.id });
    await expect(verifyCredentials(t.db, owner.email, NEW_PASSWORD, { ip: IP_B })).resolves.toMatchObject({ id: owner.id });
  });

  it("should throttle an unknown address exactly like a known one (no enumeration)", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const ghost = uniqueEmail("ghost");
    const answers = async (email: string) => {
      const out: unknown[] = [];
      for (let i = 0; i < 11; i++) out.push(await failure(verifyCredentials(t.db, email, `wrong-${i}`, { ip: IP_A })));
      return out.map((e) => (e as { code: string; userMessage: string }).code + ":" + (e as { userMessage: string }).userMessage.replace(/\d+ seconds/, "N seconds"));
    };
    expect(await answers(ghost)).toEqual(await answers(owner.email));
  });

  it("POST /api/v1/auth - uses the same throttle per (login, client IP)", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const partner = await createPartnerToken(t.db, tenant);
    const auth = (password: string, ip: string) =>
      callRoute(authPOST as unknown as RouteHandler, { path: "/api/v1/auth", authorization: `Bearer ${partner.token}`, headers: { [PEER_HEADER]: ip }, json: { login: owner.email, password } });
    for (let i = 0; i < 10; i++) expect((await auth(`wrong-${i}`, IP_A)).status).toBe(401);
    const locked = await auth(PASSWORD, IP_A);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await auth(PASSWORD, IP_B)).status).toBe(201);
  });
});
