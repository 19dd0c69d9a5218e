/**
 * Email verification (issue 9, capability 1): every account created without an invitation link gets a verification
 * email (join-page sign-up, CLI member:add without a password, an integrator's request on someone's behalf); the
 * link is single use and lasts 24 hours; until it is clicked the person signs in but sees no tenant's data, an
 * accepted membership stays "pending verification" (not active, `verified: false`), and resends are rate-limited
 * and answer alike for every address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as activeGET } from "../../app/api/v1/tenants/members/active/route.ts";
import { POST as requestPOST } from "../../app/api/v1/tenants/members/request/route.ts";
import { findAccountToken, VERIFY_EMAIL_TTL_MS } from "../../server/auth/account-tokens.ts";
import { loadMemberActor } from "../../server/authz/actor.ts";
import { createSmtpMailer } from "../../server/email/transport.ts";
import { runDueJobs } from "../../server/jobs/queue.ts";
import { VERIFICATION_SENT } from "../../server/services/account/request-verification-email.ts";
import { acceptJoinRequest } from "../../server/services/join-requests/accept-join-request.ts";
import { SIGN_UP_DONE, signUpForJoin } from "../../server/services/join-requests/sign-up-for-join.ts";
import { addMember } from "../../server/services/members/add-member.ts";
import { listMembers } from "../../server/services/members/list-members.ts";
import { useTestDb } from "../helpers/db.ts";
import { callerFor, createPartnerToken, createTenantWithOwner, PASSWORD, signIn, systemActor, TEST_META, uniqueEmail } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";

const t = useTestDb();
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink?.stop());

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
const VERIFY_LINK = /(https?:\/\/\S+)\/verify-email\?token=(rs_ve_[A-Za-z0-9_-]{43})/;

async function deliverTo(to: string) {
  const before = sink.inbox.length;
  await runDueJobs(t.db, { deps: { mailer: createSmtpMailer({ url: sink.url, from: "Roster <no-reply@roster.test>" }) } });
  const inbox = await sink.waitFor(before + 1);
  return inbox.slice(before).filter((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null) === to);
}
async function verificationLink(to: string) {
  const mails = await deliverTo(to);
  const mail = mails.find((m) => m.subject === "Confirm your email address");
  expect(mail, `a verification email to ${to}`).toBeDefined();
  const m = VERIFY_LINK.exec(mail!.text ?? "");
  expect(m).not.toBeNull();
  return { base: m![1]!, token: m![2]! };
}

async function openTenant() {
  const created = await createTenantWithOwner(t.db);
  await t.db.tenant.update({ where: { id: created.tenant.id }, data: { joinPolicy: "OPEN" } });
  return created;
}

describe("join-page sign-up", () => {
  it("should email a 24-hour single-use link; until it is used the accepted member sees nothing and is not active", async () => {
    const { tenant } = await openTenant();
    const email = uniqueEmail("joiner");
    await signUpForJoin(t.db, { tenantSlug: tenant.slug, email, password: PASSWORD, firstName: "Jo", lastName: "Iner" });
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).toBeNull();
    const { token } = await verificationLink(email);
    const row = await findAccountToken(t.db, token, "VERIFY_EMAIL");
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(VERIFY_EMAIL_TTL_MS - 60_000);
    expect(await t.db.accountToken.count({ where: { tokenHash: token } })).toBe(0);

    // The admin accepts; the membership stays pending verification.
    await acceptJoinRequest(t.db, systemActor(tenant), { ref: { email } });
    const { caller } = await signIn(t.db, user);
    await expect(caller.tenants.current({ tenant: tenant.slug })).rejects.toMatchObject({
      code: "FORBIDDEN", message: expect.stringMatching(/^Confirm your email address first/),
    });
    await expect(loadMemberActor(t.db, { userId: user.id, tenantId: tenant.id }, TEST_META)).rejects.toMatchObject({ code: "FORBIDDEN", reason: "EMAIL_UNVERIFIED" });
    const partner = await createPartnerToken(t.db, tenant);
    const active = async () =>
      (await callRoute(activeGET as unknown as RouteHandler, { method: "GET", path: "/api/v1/tenants/members/active", authorization: `Bearer ${partner.token}` })).body as { email: string; verified: boolean }[];
    expect((await active()).map((m) => m.email)).not.toContain(email);
    const listed = await listMembers(t.db, systemActor(tenant), {});
    expect(listed.items.find((m) => m.email === email)).toMatchObject({ status: "ACTIVE", pendingVerification: true });
    expect((await caller.account.me()).emailVerified).toBe(false);

    await expect(callerFor(t.db, null).account.verifyEmail({ token })).resolves.toEqual({ state: "verified", needsPassword: false });
    await expect(caller.tenants.current({ tenant: tenant.slug })).resolves.toMatchObject({ slug: tenant.slug });
    expect((await active()).find((m) => m.email === email)).toMatchObject({ verified: true });
    expect(await t.db.accountEvent.count({ where: { action: "user.email_verified", targetId: String(user.id) } })).toBe(1);
    // Single use.
    await expect(callerFor(t.db, null).account.verifyEmail({ token })).resolves.toEqual({ state: "used", needsPassword: false });
  });

  it("should say expired for an old link and invalid for a made-up one, verifying nothing", async () => {
    const { tenant } = await openTenant();
    const email = uniqueEmail("late");
    await signUpForJoin(t.db, { tenantSlug: tenant.slug, email, password: PASSWORD, firstName: "La", lastName: "Te" });
    const { token } = await verificationLink(email);
    await t.db.accountToken.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const anon = callerFor(t.db, null);
    await expect(anon.account.verifyEmail({ token })).resolves.toEqual({ state: "expired", needsPassword: false });
    await expect(anon.account.verifyEmail({ token: `rs_ve_${"A".repeat(43)}` })).resolves.toEqual({ state: "invalid", needsPassword: false });
    await expect(anon.account.verifyEmail({ token: "not-even-a-token" })).resolves.toEqual({ state: "invalid", needsPassword: false });
    expect((await t.db.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).toBeNull();
  });

  it("should answer a new and an existing address with the same sentence, emailing only the new one", async () => {
    const { tenant, owner } = await openTenant();
    const fresh = uniqueEmail("fresh");
    const a = await signUpForJoin(t.db, { tenantSlug: tenant.slug, email: owner.email, password: "someone-elses-guess-1", firstName: "X", lastName: "Y" });
    const b = await signUpForJoin(t.db, { tenantSlug: tenant.slug, email: fresh, password: PASSWORD, firstName: "X", lastName: "Y" });
    expect(a).toEqual({ message: SIGN_UP_DONE });
    expect(b).toEqual(a);
    expect(await t.db.emailDelivery.count({ where: { to: owner.email, kind: "verify_email" } })).toBe(0);
    expect(await t.db.emailDelivery.count({ where: { to: fresh, kind: "verify_email" } })).toBe(1);
  });
});

describe("resending the verification email", () => {
  it("should send a new link from the account page that supersedes the old one, rate-limited per address", async () => {
    const { tenant } = await openTenant();
    const email = uniqueEmail("resend");
    await signUpForJoin(t.db, { tenantSlug: tenant.slug, email, password: PASSWORD, firstName: "Re", lastName: "Send" });
    const old = (await verificationLink(email)).token;
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    const { caller } = await signIn(t.db, user);
    await expect(caller.account.resendVerificationEmail()).resolves.toEqual({ sent: true, alreadyVerified: false });
    const fresh = (await verificationLink(email)).token;
    expect(fresh).not.toBe(old);
    const anon = callerFor(t.db, null);
    await expect(anon.account.verifyEmail({ token: old })).resolves.toMatchObject({ state: "used" });
    for (let i = 0; i < 4; i++) await caller.account.resendVerificationEmail();
    await expect(caller.account.resendVerificationEmail()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(anon.account.verifyEmail({ token: old })).resolves.toMatchObject({ state: "used" });
  });

  it("should tell a verified person there is nothing to send", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, owner);
    await expect(caller.account.resendVerificationEmail()).resolves.toEqual({ sent: false, alreadyVerified: true });
  });

  it("should answer the anonymous resend alike for unverified, verified and unknown addresses, emailing only the unverified", async () => {
    const { tenant, owner } = await openTenant();
    const pending = uniqueEmail("pending");
    await signUpForJoin(t.db, { tenantSlug: tenant.slug, email: pending, password: PASSWORD, firstName: "Pe", lastName: "Nd" });
    const anon = callerFor(t.db, null);
    const before = await t.db.emailDelivery.count({ where: { kind: "verify_email" } });
    const answers = [
      await anon.account.requestVerificationEmail({ email: pending }),
      await anon.account.requestVerificationEmail({ email: owner.email }),
      await anon.account.requestVerificationEmail({ email: uniqueEmail("nobody") }),
    ];
    expect(answers).toEqual([{ message: VERIFICATION_SENT }, { message: VERIFICATION_SENT }, { message: VERIFICATION_SENT }]);
    expect(await t.db.emailDelivery.count({ where: { kind: "verify_email" } })).toBe(before + 1);
    expect(await t.db.emailDelivery.count({ where: { kind: "verify_email", to: pending } })).toBe(2);
  });
});

describe("operator and integrator accounts", () => {
  it("member:add without a password creates an unverified account with a verification email; with one it is verified", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const bare = uniqueEmail("bare");
    const vouched = uniqueEmail("vouched");
    await addMember(t.db, systemActor(tenant), { email: bare });
    await addMember(t.db, systemActor(tenant), { email: vouched, password: PASSWORD });
    expect((await t.db.user.findUniqueOrThrow({ where: { email: bare } })).emailVerifiedAt).toBeNull();
    expect((await t.db.user.findUniqueOrThrow({ where: { email: vouched } })).emailVerifiedAt).not.toBeNull();
    expect(await t.db.emailDelivery.count({ where: { to: vouched } })).toBe(0);
    const { token } = await verificationLink(bare);
    // No password yet: the page offers to choose one ("Forgot password?" proves the mailbox again).
    await expect(callerFor(t.db, null).account.verifyEmail({ token })).resolves.toEqual({ state: "verified", needsPassword: true });
  });

  it("POST /api/v1/tenants/members/request - emails a link on an allow-listed base and refuses another origin with 422", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    await t.db.tenant.update({ where: { id: tenant.id }, data: { joinPolicy: "REQUEST", allowedLinkOrigins: ["https://partner.example"] } });
    const partner = await createPartnerToken(t.db, tenant);
    const request = (json: unknown) => callRoute(requestPOST as unknown as RouteHandler, { path: "/api/v1/tenants/members/request", authorization: `Bearer ${partner.token}`, json });
    const email = uniqueEmail("behalf");
    const refused = await request({ email, verificationBaseUrl: "https://evil.example/roster" });
    expect(refused.status).toBe(422);
    expect(await t.db.user.count({ where: { email } })).toBe(0);

    const res = await request({ email, verificationBaseUrl: "https://partner.example/roster" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, status: "REQUESTED", verified: false });
    const link = await verificationLink(email);
    expect(link.base).toBe("https://partner.example/roster");
    await expect(callerFor(t.db, null).account.verifyEmail({ token: link.token })).resolves.toEqual({ state: "verified", needsPassword: true });
  });
});

describe("an invitation link proves the mailbox", () => {
  it("should leave the tenant open to a member whose email was verified at sign-up (no regression)", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, owner);
    await expect(caller.tenants.current({ tenant: tenant.slug })).resolves.toMatchObject({ slug: tenant.slug });
    expect(await failure(loadMemberActor(t.db, { userId: owner.id, tenantId: tenant.id }, TEST_META))).toBeNull();
  });
});
