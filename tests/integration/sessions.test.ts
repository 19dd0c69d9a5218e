/** Server-side session rows: listing and revoking through the account router, idle and absolute timeouts. */
import { describe, expect, it } from "vitest";
import { resolveSession, type SessionPolicy } from "../../server/auth/sessions.ts";
import { useTestDb } from "../helpers/db.ts";
import { callerFor, createTenantWithOwner, signIn } from "../helpers/factories.ts";

const t = useTestDb();
const MIN = 60_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe("account.me", () => {
  it("should return the signed-in user's own profile", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, owner);
    expect(await caller.account.me()).toMatchObject({ id: owner.id, email: owner.email, language: "en" });
  });

  it("should refuse an anonymous caller with UNAUTHORIZED", async () => {
    await expect(callerFor(t.db, null).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("account.sessions", () => {
  it("should list the caller's live sessions, mark the current one, and hide other users' sessions", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const other = await createTenantWithOwner(t.db);
    const first = await signIn(t.db, owner);
    const second = await signIn(t.db, owner);
    await signIn(t.db, other.owner);

    const list = await second.caller.account.sessions();
    expect(list.map((s) => s.id).sort()).toEqual([first.sessionId, second.sessionId].sort());
    expect(list.find((s) => s.current)?.id).toBe(second.sessionId);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list[0]).toMatchObject({ ip: "203.0.113.7", userAgent: "vitest" });
  });
});

describe("account.revokeSession", () => {
  it("should revoke one of the caller's sessions so that it no longer resolves", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const phone = await signIn(t.db, owner);
    const laptop = await signIn(t.db, owner);
    const policy: SessionPolicy = { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN };
    expect(await resolveSession(t.db, phone.secret, policy)).toMatchObject({ id: phone.sessionId, userId: owner.id });

    await laptop.caller.account.revokeSession({ id: phone.sessionId });

    expect(await resolveSession(t.db, phone.secret, policy)).toBeNull();
    expect(await resolveSession(t.db, laptop.secret, policy)).toMatchObject({ id: laptop.sessionId, userId: owner.id });
    expect((await laptop.caller.account.sessions()).map((s) => s.id)).toEqual([laptop.sessionId]);
    const audit = await t.db.accountEvent.findFirst({ where: { action: "session.revoked", targetId: String(phone.sessionId) } });
    expect(audit).toMatchObject({ actorType: "USER", actorUserId: owner.id, targetType: "session" });
  });

  it("should answer NOT_FOUND for another user's session id and leave that session alive", async () => {
    const mallory = await createTenantWithOwner(t.db);
    const victim = await createTenantWithOwner(t.db);
    const attacker = await signIn(t.db, mallory.owner);
    const target = await signIn(t.db, victim.owner);

    await expect(attacker.caller.account.revokeSession({ id: target.sessionId })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Session not found.",
    });
    expect(await resolveSession(t.db, target.secret, { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN })).not.toBeNull();
  });

  it("should answer NOT_FOUND for an unknown or already revoked session", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const a = await signIn(t.db, owner);
    const b = await signIn(t.db, owner);
    await a.caller.account.revokeSession({ id: b.sessionId });
    await expect(a.caller.account.revokeSession({ id: b.sessionId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(a.caller.account.revokeSession({ id: 2_000_000_000 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("should reject a non-integer id as UNPROCESSABLE_CONTENT (422)", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, owner);
    await expect(caller.account.revokeSession({ id: "1" as unknown as number })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });
});

describe("account.revokeOtherSessions", () => {
  it("should revoke every session but the current one", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const keep = await signIn(t.db, owner);
    const gone1 = await signIn(t.db, owner);
    const gone2 = await signIn(t.db, owner);
    expect(await keep.caller.account.revokeOtherSessions()).toEqual({ revoked: 2 });
    const policy = { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN };
    expect(await resolveSession(t.db, gone1.secret, policy)).toBeNull();
    expect(await resolveSession(t.db, gone2.secret, policy)).toBeNull();
    expect(await resolveSession(t.db, keep.secret, policy)).not.toBeNull();
  });
});

describe("resolveSession timeouts", () => {
  it("should end a session left idle for the idle timeout, and keep one idle for less", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const policy: SessionPolicy = { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN };
    const idle = await signIn(t.db, owner, policy);
    const fresh = await signIn(t.db, owner, policy);
    const seen = async (id: number) => (await t.db.authSession.findUniqueOrThrow({ where: { id } })).lastSeenAt;
    expect(await resolveSession(t.db, fresh.secret, policy, at(await seen(fresh.sessionId), 29 * MIN))).not.toBeNull();
    expect(await resolveSession(t.db, idle.secret, policy, at(await seen(idle.sessionId), 30 * MIN))).toBeNull();
  });

  it("should count idleness from the last request, not from sign-in", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const policy: SessionPolicy = { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN };
    const s = await signIn(t.db, owner, policy);
    const created = (await t.db.authSession.findUniqueOrThrow({ where: { id: s.sessionId } })).lastSeenAt;
    expect(await resolveSession(t.db, s.secret, policy, at(created, 25 * MIN))).not.toBeNull();
    // 50 minutes after sign-in but only 25 after the last request.
    expect(await resolveSession(t.db, s.secret, policy, at(created, 50 * MIN))).not.toBeNull();
    expect(await resolveSession(t.db, s.secret, policy, at(created, 80 * MIN))).toBeNull();
  });

  it("should end an active session at the absolute timeout even though it was never idle", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const policy: SessionPolicy = { idleMs: 30 * MIN, maxMs: 60 * MIN };
    const s = await signIn(t.db, owner, policy);
    const created = (await t.db.authSession.findUniqueOrThrow({ where: { id: s.sessionId } })).lastSeenAt;
    for (const minute of [20, 40, 59]) {
      expect(await resolveSession(t.db, s.secret, policy, at(created, minute * MIN)), `minute ${minute}`).not.toBeNull();
    }
    expect(await resolveSession(t.db, s.secret, policy, at(created, 61 * MIN))).toBeNull();
  });

  it("should not resolve an unknown secret or a disabled user's session", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const policy: SessionPolicy = { idleMs: 30 * MIN, maxMs: 60 * MIN };
    const s = await signIn(t.db, owner, policy);
    expect(await resolveSession(t.db, "rs_sess_unknown", policy)).toBeNull();
    await t.db.user.update({ where: { id: owner.id }, data: { disabledAt: new Date() } });
    expect(await resolveSession(t.db, s.secret, policy)).toBeNull();
  });

  it("should store only the hash of the session secret", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const s = await signIn(t.db, owner);
    const row = await t.db.authSession.findUniqueOrThrow({ where: { id: s.sessionId } });
    expect(s.secret.startsWith("rs_sess_")).toBe(true);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(s.secret);
  });
});
