/**
 * Re-authentication (issue 9, capability 4): sensitive changes from a cookie session need a password or code entered
 * in the last REAUTH_MINUTES; otherwise FORBIDDEN with reason REAUTH_REQUIRED (in tRPC's error data on the wire).
 * Bearer tokens are exempt.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Session } from "next-auth";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { loadMemberActor } from "../../server/authz/actor.ts";
import { resolveSession } from "../../server/auth/sessions.ts";
import { createApiToken } from "../../server/services/tokens/create-api-token.ts";
import { appRouter } from "../../server/trpc/root.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, callerFor, createTenantWithOwner, PASSWORD, SESSION_POLICY, signIn, TEST_META } from "../helpers/factories.ts";
import { enrolTwoFactor, totpAt } from "../helpers/two-factor.ts";

const t = useTestDb();
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
const ELEVEN_MINUTES_AGO = () => new Date(Date.now() - 11 * 60_000);

/** A signed-in owner whose last password entry was 11 minutes ago (row and session agree, as next-auth builds them). */
async function staleSession(user: { id: number; email: string }) {
  const s = await signIn(t.db, user);
  const reauthAt = ELEVEN_MINUTES_AGO();
  await t.db.authSession.update({ where: { id: s.sessionId }, data: { reauthAt } });
  const session: Session = { ...s.session, reauthAt: reauthAt.toISOString() };
  return { ...s, session, caller: callerFor(t.db, session) };
}

const reauthReason = async (p: Promise<unknown>) => {
  const e = (await failure(p)) as { code?: string; cause?: { reason?: string } } | null;
  return e ? { code: e.code, reason: e.cause?.reason } : null;
};

describe("re-authentication window", () => {
  it("should refuse creating an API token from a stale session with FORBIDDEN REAUTH_REQUIRED and create nothing", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const { caller } = await staleSession(owner);
    expect(await reauthReason(caller.tokens.create({ tenant: tenant.slug, kind: "personal", name: "cli" }))).toEqual({ code: "FORBIDDEN", reason: "REAUTH_REQUIRED" });
    expect(await t.db.apiToken.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("should allow it within the window, and again after re-authenticating with the password", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const fresh = await signIn(t.db, owner);
    await expect(fresh.caller.tokens.create({ tenant: tenant.slug, kind: "personal", name: "fresh" })).resolves.toMatchObject({ token: expect.any(String) });

    const stale = await staleSession(owner);
    await expect(stale.caller.account.reauthenticate({ password: "not-the-password" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const { reauthAt } = await stale.caller.account.reauthenticate({ password: PASSWORD });
    const row = await t.db.authSession.findUniqueOrThrow({ where: { id: stale.sessionId } });
    expect(row.reauthAt.getTime()).toBe(reauthAt.getTime());
    expect(await t.db.accountEvent.count({ where: { action: "session.reauthenticated", targetId: String(stale.sessionId) } })).toBe(1);
    // What next-auth's jwt callback reads on the next request:
    const live = await resolveSession(t.db, stale.secret, SESSION_POLICY);
    const next = callerFor(t.db, { ...stale.session, reauthAt: live!.reauthAt.toISOString() });
    await expect(next.tokens.create({ tenant: tenant.slug, kind: "personal", name: "after reauth" })).resolves.toMatchObject({ token: expect.any(String) });
  });

  it("should accept a two-factor code for re-authentication and refuse a code when two-factor is off", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const nofactor = await staleSession(owner);
    await expect(nofactor.caller.account.reauthenticate({ code: "123456" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    const { secret } = await enrolTwoFactor(t.db, owner);
    const stale = await staleSession(owner);
    const good = await totpAt(secret);
    await expect(stale.caller.account.reauthenticate({ code: good === "000000" ? "111111" : "000000" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(stale.caller.account.reauthenticate({ code: good })).resolves.toMatchObject({ reauthAt: expect.any(Date) });
  });

  it("should throttle wrong re-authentication passwords per account (TOO_MANY_REQUESTS)", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { caller } = await staleSession(owner);
    for (let i = 0; i < 10; i++) await failure(caller.account.reauthenticate({ password: `wrong-${i}` }));
    await expect(caller.account.reauthenticate({ password: PASSWORD })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("should require it for roles, rights, member roles, owner removal and the tenant's security settings", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const second = await addMemberWithRole(t.db, tenant, { role: "owner" });
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const { caller } = await staleSession(owner);
    const REAUTH = { code: "FORBIDDEN", reason: "REAUTH_REQUIRED" };
    expect(await reauthReason(caller.roles.create({ tenant: tenant.slug, slug: "night-shift", title: "Night shift", weight: 30 }))).toEqual(REAUTH);
    expect(await reauthReason(caller.members.setRoles({ tenant: tenant.slug, id: worker.membership.id, roles: ["manager"], hasFullAccess: false }))).toEqual(REAUTH);
    expect(await reauthReason(caller.members.remove({ tenant: tenant.slug, id: second.membership.id }))).toEqual(REAUTH);
    expect(await reauthReason(caller.settings.update({ tenant: tenant.slug, allowedLinkOrigins: ["https://partner.example"] }))).toEqual(REAUTH);
    expect(await reauthReason(caller.settings.update({ tenant: tenant.slug, requireTwoFactor: true }))).toEqual(REAUTH);
    // Not a security setting: no prompt.
    await expect(caller.settings.update({ tenant: tenant.slug, invitationTtlDays: 3 })).resolves.toMatchObject({ invitationTtlDays: 3 });
    // Nothing changed.
    expect(await t.db.role.count({ where: { tenantId: tenant.id, slug: "night-shift" } })).toBe(0);
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, id: second.membership.id } })).toBe(1);
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).allowedLinkOrigins).toEqual([]);
    // Removing a non-owner needs no prompt.
    await expect(caller.members.remove({ tenant: tenant.slug, id: worker.membership.id })).resolves.toMatchObject({ id: worker.membership.id });
  });

  it("should exempt bearer tokens: a personal token's actor has no session and creates tokens without a prompt", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const actor = await loadMemberActor(t.db, { userId: owner.id, tenantId: tenant.id }, TEST_META, { id: 1, scopes: null });
    expect(actor.kind).toBe("token");
    await expect(createApiToken(t.db, actor, { kind: "partner", name: "from a token" })).resolves.toMatchObject({ token: expect.any(String) });
  });

  it("should answer REAUTH_REQUIRED in the tRPC error data on the wire (403 with data.reason)", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const { session } = await staleSession(owner);
    const req = new Request("http://localhost/api/trpc/tokens.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize({ tenant: tenant.slug, kind: "personal", name: "wire" })),
    });
    const res = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => ({ db: t.db, session, meta: TEST_META }) });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { json: { data: { code: string; reason: string } } } };
    expect(body.error.json.data).toMatchObject({ code: "FORBIDDEN", reason: "REAUTH_REQUIRED" });
  });
});
