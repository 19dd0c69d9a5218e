/**
 * Two-factor (issue 9, capability 3): enrolment, single-use codes, recovery codes, the sign-in code step with its
 * challenge, the code lockout, disable and regenerate, POST /api/v1/auth with `code`, and "require two-factor".
 */
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { POST as authRoute } from "../../app/api/v1/auth/route.ts";
import { GET as activeMembers } from "../../app/api/v1/tenants/members/active/route.ts";
import { loadMemberActor } from "../../server/authz/actor.ts";
import { createApiToken } from "../../server/services/tokens/create-api-token.ts";
import { authorizeSignIn } from "../../server/auth/sign-in.ts";
import { hashSecret } from "../../server/auth/secrets.ts";
import { checkTotp, decryptTotpSecret, hashRecoveryCode, issueChallenge, verifySecondFactor } from "../../server/auth/two-factor.ts";
import { disableTwoFactor } from "../../server/services/account/disable-two-factor.ts";
import { enableTwoFactor } from "../../server/services/account/enable-two-factor.ts";
import { regenerateRecoveryCodes } from "../../server/services/account/regenerate-recovery-codes.ts";
import { startTwoFactor } from "../../server/services/account/start-two-factor.ts";
import crypto from "node:crypto";
import { getEnv } from "../../server/env.ts";
import { keyId } from "../../server/security/encryption.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createPartnerToken, createTenantWithOwner, PASSWORD, signIn, TEST_META } from "../helpers/factories.ts";
import { callRoute, error000, type RouteHandler } from "../helpers/http.ts";
import { enrolTwoFactor, forgetLastStep, selfOf, totpAt } from "../helpers/two-factor.ts";

const t = useTestDb();
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
const marker = async (p: Promise<unknown>) => ((await failure(p)) as Error | null)?.message ?? null;

describe("two-factor enrolment", () => {
  it("should enable two-factor only after a correct code, with 10 hashed recovery codes and an encrypted seed", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { sessionId } = await signIn(t.db, owner);
    const self = selfOf(owner, sessionId);
    const started = await startTwoFactor(t.db, self);
    expect(started.secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
    expect(started.otpauthUri).toContain("otpauth://totp/");
    expect(started.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = started.secret.replace(/ /g, "");

    const row = await t.db.twoFactor.findUniqueOrThrow({ where: { userId: owner.id } });
    expect(row.enabledAt).toBeNull();
    expect(row.secret).not.toContain(secret);
    expect(decryptTotpSecret(owner.id, row.secret)).toBe(secret);
    // Not yet on: the password alone still signs in.
    await expect(authorizeSignIn(t.db, { email: owner.email, password: PASSWORD })).resolves.toMatchObject({ id: owner.id });

    const good = await totpAt(secret);
    const wrong = good === "000000" ? "111111" : "000000";
    await expect(enableTwoFactor(t.db, self, { code: wrong })).rejects.toMatchObject({ code: "UNAUTHORIZED", userMessage: "Wrong code." });
    expect((await t.db.twoFactor.findUniqueOrThrow({ where: { userId: owner.id } })).enabledAt).toBeNull();

    const { recoveryCodes } = await enableTwoFactor(t.db, self, { code: good });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const stored = await t.db.recoveryCode.findMany({ where: { userId: owner.id } });
    expect(stored.map((s) => s.codeHash).sort()).toEqual(recoveryCodes.map(hashRecoveryCode).sort());
    expect(stored.some((s) => recoveryCodes.some((c) => s.codeHash.includes(c)))).toBe(false);
    expect((await t.db.twoFactor.findUniqueOrThrow({ where: { userId: owner.id } })).enabledAt).not.toBeNull();

    // An event of the account, not of any tenant: the global AccountEvent trail, never a tenant's audit log.
    const audit = await t.db.accountEvent.findFirst({ where: { action: "user.two_factor_enabled", targetId: String(owner.id) } });
    expect(audit).toMatchObject({ actorType: "USER", actorUserId: owner.id, userId: owner.id });
    expect(await t.db.auditEvent.count({ where: { action: "user.two_factor_enabled" } })).toBe(0);
    const mail = await t.db.emailDelivery.findFirst({ where: { kind: "two_factor_changed", to: owner.email } });
    expect(mail).not.toBeNull();
    // The session that enabled it is marked for rotation: it ends within the grace unless the browser rotates it.
    const s = await t.db.authSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(s.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(2 * 60_000 + 1000);
  });

  it("should refuse to start a second enrolment while two-factor is on (CONFLICT)", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { sessionId } = await enrolTwoFactor(t.db, owner);
    await expect(startTwoFactor(t.db, selfOf(owner, sessionId))).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("should refuse a code already used in its time step", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { secret } = await enrolTwoFactor(t.db, owner);
    const code = await totpAt(secret);
    await expect(verifySecondFactor(t.db, owner.id, code)).resolves.toBe("totp");
    await expect(verifySecondFactor(t.db, owner.id, code)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // The next step's code is still good (the window allows one step of clock drift).
    await expect(verifySecondFactor(t.db, owner.id, await totpAt(secret, 1))).resolves.toBe("totp");
  });

  it("should reject a wrong code, a malformed one, and a code for another secret", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { secret } = await enrolTwoFactor(t.db, owner);
    expect(await checkTotp(secret, "12ab56", null)).toBeNull();
    expect(await checkTotp(secret, "1234567", null)).toBeNull();
    const other = await generate({ secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" });
    const mine = await totpAt(secret);
    if (other !== mine) expect(await checkTotp(secret, other, null)).toBeNull();
    expect(await checkTotp(secret, mine, null)).not.toBeNull();
  });
});

describe("sign-in with the code step", () => {
  it("should answer a correct password with a challenge and no session, and sign in only with a code", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { secret } = await enrolTwoFactor(t.db, owner);
    const sessionsBefore = await t.db.authSession.count({ where: { userId: owner.id } });

    const message = await marker(authorizeSignIn(t.db, { email: owner.email, password: PASSWORD }));
    expect(message).toMatch(/^TwoFactorRequired:rs_2fa_[A-Za-z0-9_-]{43}$/);
    const challenge = message!.slice("TwoFactorRequired:".length);
    const row = await t.db.authChallenge.findUniqueOrThrow({ where: { tokenHash: hashSecret(challenge) } });
    expect(row.userId).toBe(owner.id);
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(await t.db.authSession.count({ where: { userId: owner.id } })).toBe(sessionsBefore);

    // A wrong password never reaches the code step.
    await expect(authorizeSignIn(t.db, { email: owner.email, password: "wrong-password-here" })).resolves.toBeNull();
    // A wrong code keeps the challenge usable.
    const good = await totpAt(secret);
    expect(await marker(authorizeSignIn(t.db, { challenge, code: good === "000000" ? "111111" : "000000" }))).toBe("TwoFactorInvalid");
    await expect(authorizeSignIn(t.db, { challenge, code: good })).resolves.toMatchObject({ id: owner.id, email: owner.email });
    // Single use: the same challenge cannot sign in twice, even with a fresh code.
    await forgetLastStep(t.db, owner.id);
    expect(await marker(authorizeSignIn(t.db, { challenge, code: await totpAt(secret) }))).toBe("TwoFactorExpired");
  });

  it("should refuse an expired, unknown or malformed challenge", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { secret } = await enrolTwoFactor(t.db, owner);
    const challenge = await issueChallenge(t.db, owner.id, new Date(Date.now() - 6 * 60_000));
    expect(await marker(authorizeSignIn(t.db, { challenge, code: await totpAt(secret) }))).toBe("TwoFactorExpired");
    expect(await marker(authorizeSignIn(t.db, { challenge: "rs_2fa_" + "x".repeat(43), code: "123456" }))).toBe("TwoFactorExpired");
    expect(await marker(authorizeSignIn(t.db, { challenge: "not-a-challenge", code: "123456" }))).toBe("TwoFactorExpired");
  });

  it("should accept a recovery code once", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { recoveryCodes } = await enrolTwoFactor(t.db, owner);
    const first = (await marker(authorizeSignIn(t.db, { email: owner.email, password: PASSWORD })))!.split(":")[1]!;
    await expect(authorizeSignIn(t.db, { challenge: first, code: recoveryCodes[0]!.toUpperCase() })).resolves.toMatchObject({ id: owner.id });
    const second = (await marker(authorizeSignIn(t.db, { email: owner.email, password: PASSWORD })))!.split(":")[1]!;
    expect(await marker(authorizeSignIn(t.db, { challenge: second, code: recoveryCodes[0]! }))).toBe("TwoFactorInvalid");
    await expect(authorizeSignIn(t.db, { challenge: second, code: recoveryCodes[1]! })).resolves.toMatchObject({ id: owner.id });
  });

  it("should lock the code step after 10 wrong codes (429 with Retry-After), and let a recovery code unlock it", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { secret, recoveryCodes } = await enrolTwoFactor(t.db, owner);
    const challenge = (await marker(authorizeSignIn(t.db, { email: owner.email, password: PASSWORD })))!.split(":")[1]!;
    const good = await totpAt(secret);
    const wrong = good === "000000" ? "111111" : "000000";
    for (let i = 1; i <= 9; i++) expect(await marker(authorizeSignIn(t.db, { challenge, code: wrong })), `attempt ${i}`).toBe("TwoFactorInvalid");
    expect(await marker(authorizeSignIn(t.db, { challenge, code: wrong }))).toMatch(/^TwoFactorLocked:\d+$/);
    // Locked: even the right TOTP is refused, with the seconds to wait.
    const locked = (await failure(verifySecondFactor(t.db, owner.id, good))) as { code: string; retryAfter: number };
    expect(locked).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(locked.retryAfter).toBeGreaterThan(0);
    expect(locked.retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await marker(authorizeSignIn(t.db, { challenge, code: good }))).toMatch(/^TwoFactorLocked:\d+$/);
    // A recovery code still works and unlocks the TOTP step.
    await expect(authorizeSignIn(t.db, { challenge, code: recoveryCodes[3]! })).resolves.toMatchObject({ id: owner.id });
    await expect(verifySecondFactor(t.db, owner.id, await totpAt(secret))).resolves.toBe("totp");
  });
});

describe("disable and regenerate", () => {
  it("should turn two-factor off with a fresh re-authentication, audited and emailed, and let the password sign in alone", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { sessionId } = await enrolTwoFactor(t.db, owner);
    const stale = selfOf(owner, sessionId, new Date(Date.now() - 11 * 60_000));
    await expect(disableTwoFactor(t.db, stale)).rejects.toMatchObject({ code: "FORBIDDEN", reason: "REAUTH_REQUIRED" });
    expect(await t.db.twoFactor.count({ where: { userId: owner.id } })).toBe(1);

    await disableTwoFactor(t.db, selfOf(owner, sessionId));
    expect(await t.db.twoFactor.count({ where: { userId: owner.id } })).toBe(0);
    expect(await t.db.recoveryCode.count({ where: { userId: owner.id } })).toBe(0);
    expect(await t.db.accountEvent.count({ where: { action: "user.two_factor_disabled", targetId: String(owner.id) } })).toBe(1);
    expect(await t.db.emailDelivery.count({ where: { kind: "two_factor_changed", to: owner.email } })).toBe(2);
    await expect(authorizeSignIn(t.db, { email: owner.email, password: PASSWORD })).resolves.toMatchObject({ id: owner.id });
    await expect(disableTwoFactor(t.db, selfOf(owner, sessionId))).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("should replace the recovery codes: the old ones stop working", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { sessionId, recoveryCodes: old } = await enrolTwoFactor(t.db, owner);
    await expect(regenerateRecoveryCodes(t.db, selfOf(owner, sessionId, new Date(Date.now() - 11 * 60_000)))).rejects.toMatchObject({
      code: "FORBIDDEN", reason: "REAUTH_REQUIRED",
    });
    const { recoveryCodes } = await regenerateRecoveryCodes(t.db, selfOf(owner, sessionId));
    expect(recoveryCodes).toHaveLength(10);
    await expect(verifySecondFactor(t.db, owner.id, old[0]!)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(verifySecondFactor(t.db, owner.id, recoveryCodes[0]!)).resolves.toBe("recovery");
    expect(await t.db.accountEvent.count({ where: { action: "user.recovery_codes_regenerated", targetId: String(owner.id) } })).toBe(1);
  });
});

const auth = (opts: Parameters<typeof callRoute>[1]) => callRoute(authRoute as unknown as RouteHandler, { path: "/api/v1/auth", ...opts });

describe("POST /api/v1/auth with two-factor", () => {
  it("POST /api/v1/auth - 401 without code, 401 with a wrong code, 201 with a TOTP or a recovery code", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    const { user } = await addMemberWithRole(t.db, tenant, { role: "manager" });
    const { secret, recoveryCodes } = await enrolTwoFactor(t.db, user);
    const authorization = `Bearer ${partner.token}`;

    const none = await auth({ authorization, json: { login: user.email, password: PASSWORD } });
    expect(none).toMatchObject({ status: 401, body: error000("Authentication needed.") });
    const good = await totpAt(secret);
    const wrong = await auth({ authorization, json: { login: user.email, password: PASSWORD, code: good === "000000" ? "111111" : "000000" } });
    expect(wrong).toMatchObject({ status: 401, body: error000("Authentication needed.") });
    // A right code with a wrong password is still the same 401.
    const badPassword = await auth({ authorization, json: { login: user.email, password: "not-the-password", code: good } });
    expect(badPassword.status).toBe(401);
    expect(await t.db.apiToken.count({ where: { kind: "USER", userId: user.id } })).toBe(0);

    const ok = await auth({ authorization, json: { login: user.email, password: PASSWORD, code: good } });
    expect(ok.status).toBe(201);
    expect((ok.body as { data: { id: number } }).data.id).toBe(user.id);
    const recovery = await auth({ authorization, json: { login: user.email, password: PASSWORD, code: recoveryCodes[0] } });
    expect(recovery.status).toBe(201);
    // The same TOTP again (same step) is refused.
    const replay = await auth({ authorization, json: { login: user.email, password: PASSWORD, code: good } });
    expect(replay.status).toBe(401);
  });

  it("POST /api/v1/auth - 429 with Retry-After once the code step is locked", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const partner = await createPartnerToken(t.db, tenant);
    const { user } = await addMemberWithRole(t.db, tenant);
    const { secret } = await enrolTwoFactor(t.db, user);
    const good = await totpAt(secret);
    const wrong = good === "000000" ? "111111" : "000000";
    const authorization = `Bearer ${partner.token}`;
    for (let i = 0; i < 9; i++) expect((await auth({ authorization, json: { login: user.email, password: PASSWORD, code: wrong } })).status).toBe(401);
    const locked = await auth({ authorization, json: { login: user.email, password: PASSWORD, code: wrong } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await auth({ authorization, json: { login: user.email, password: PASSWORD, code: good } })).status).toBe(429);
  });

  it("POST /api/v1/auth - a member without two-factor in a tenant that requires it gets no token", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const partner = await createPartnerToken(t.db, tenant);
    const { user } = await addMemberWithRole(t.db, tenant);
    await enrolTwoFactor(t.db, owner);
    await t.db.tenant.update({ where: { id: tenant.id }, data: { requireTwoFactor: true } });
    const authorization = `Bearer ${partner.token}`;
    expect(await auth({ authorization, json: { login: user.email, password: PASSWORD } })).toMatchObject({ status: 401, body: error000("Authentication needed.") });
    expect((await auth({ authorization, json: { login: user.email, password: PASSWORD, code: "123456" } })).status).toBe(403);
    expect(await t.db.apiToken.count({ where: { kind: "USER", userId: user.id } })).toBe(0);
  });

  it("POST /api/v1/auth - 422 for an unknown key and for an oversized code", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const partner = await createPartnerToken(t.db, tenant);
    const authorization = `Bearer ${partner.token}`;
    expect((await auth({ authorization, json: { login: owner.email, password: PASSWORD, code: "1".repeat(65) } })).status).toBe(422);
    expect((await auth({ authorization, json: { login: owner.email, password: PASSWORD, otp: "123456" } })).status).toBe(422);
  });
});

describe("require two-factor (tenant setting)", () => {
  it("should refuse tenant procedures to a member without two-factor with FORBIDDEN reason TWO_FACTOR_REQUIRED", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const { user } = await addMemberWithRole(t.db, tenant, { role: "manager" });
    const ownerSession = await signIn(t.db, owner);
    // The owner may not require it before having it.
    await expect(ownerSession.caller.settings.update({ tenant: tenant.slug, requireTwoFactor: true })).rejects.toMatchObject({ code: "CONFLICT" });
    await enrolTwoFactor(t.db, owner);
    const fresh = await signIn(t.db, owner);
    await expect(fresh.caller.settings.update({ tenant: tenant.slug, requireTwoFactor: true })).resolves.toMatchObject({ requireTwoFactor: true });
    expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id, action: "tenant.settings_changed" } })).toBe(1);

    const member = await signIn(t.db, user);
    const denied = (await failure(member.caller.tenants.current({ tenant: tenant.slug }))) as { code: string; cause: { reason?: string } };
    expect(denied).toMatchObject({ code: "FORBIDDEN" });
    expect(denied.cause.reason).toBe("TWO_FACTOR_REQUIRED");
    await expect(member.caller.members.list({ tenant: tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Account pages stay reachable, so the member can enrol, and after that the tenant opens.
    await expect(member.caller.account.twoFactor()).resolves.toMatchObject({ enabled: false, requiredBy: [{ slug: tenant.slug }] });
    await enrolTwoFactor(t.db, user);
    await expect(member.caller.tenants.current({ tenant: tenant.slug })).resolves.toMatchObject({ slug: tenant.slug });
  });

  it("should show admins who has two-factor on the members list", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const { user } = await addMemberWithRole(t.db, tenant);
    await enrolTwoFactor(t.db, owner);
    const { caller } = await signIn(t.db, owner);
    const list = await caller.members.list({ tenant: tenant.slug });
    expect(list.items.find((m) => m.userId === owner.id)?.twoFactor).toBe(true);
    expect(list.items.find((m) => m.userId === user.id)?.twoFactor).toBe(false);
  });

  it("GET /api/v1/tenants/members/active - 403 for a personal token of a member without two-factor once the tenant requires it", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const { user } = await addMemberWithRole(t.db, tenant, { role: "manager" });
    const actor = await loadMemberActor(t.db, { userId: user.id, tenantId: tenant.id }, TEST_META, null, { reauthAt: new Date() });
    const personal = await createApiToken(t.db, actor, { kind: "personal", name: "script" });
    const call = () => callRoute(activeMembers as unknown as RouteHandler, { method: "GET", path: "/api/v1/tenants/members/active", authorization: `Bearer ${personal.token}` });
    expect((await call()).status).toBe(200);
    await enrolTwoFactor(t.db, owner);
    await t.db.tenant.update({ where: { id: tenant.id }, data: { requireTwoFactor: true } });
    expect((await call()).status).toBe(403);
    await enrolTwoFactor(t.db, user);
    expect((await call()).status).toBe(200);
  });
});

describe("data-key rotation", () => {
  it("should read a seed under an old key and move it to the current key on its next use", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { secret } = await enrolTwoFactor(t.db, owner);
    const env = getEnv();
    const before = env.dataKeys;
    const oldId = keyId(before.current);
    expect((await t.db.twoFactor.findUniqueOrThrow({ where: { userId: owner.id } })).secret.split(".")[1]).toBe(oldId);
    const next = crypto.randomBytes(32);
    env.dataKeys = { current: next, old: [before.current] };
    try {
      await expect(verifySecondFactor(t.db, owner.id, await totpAt(secret))).resolves.toBe("totp");
      const row = await t.db.twoFactor.findUniqueOrThrow({ where: { userId: owner.id } });
      expect(row.secret.split(".")[1]).toBe(keyId(next));
      expect(decryptTotpSecret(owner.id, row.secret)).toBe(secret);
      // Without the old key the rewritten seed still reads: the old key is no longer needed for this user.
      env.dataKeys = { current: next, old: [] };
      expect(decryptTotpSecret(owner.id, row.secret)).toBe(secret);
    } finally {
      env.dataKeys = before;
    }
  });
});
