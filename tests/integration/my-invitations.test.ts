/** The signed-in user's own invitations on the account page: listing across tenants, accept and decline by id, the recipient rule, races. */
import { beforeAll, describe, expect, it } from "vitest";
import { AppErrorCode, type AppError } from "../../server/errors.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { acceptMyInvitation } from "../../server/services/invitations/accept-my-invitation.ts";
import { cancelInvitation } from "../../server/services/invitations/cancel-invitation.ts";
import { declineMyInvitation } from "../../server/services/invitations/decline-my-invitation.ts";
import { listMyInvitations, MY_INVITATION_NOT_FOUND } from "../../server/services/invitations/list-my-invitations.ts";
import { previewInvitation } from "../../server/services/invitations/preview-invitation.ts";
import { accessWorld, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { callerFor, createTenantWithOwner, signIn, systemActor } from "../helpers/factories.ts";
import { createAccount, inviteWithLink, writeCounts } from "../helpers/invitation-factories.ts";

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected a refusal");
}

describe("listMyInvitations", () => {
  it("should list only the user's own live invitations across tenants: not expired, cancelled, someone else's, phone or suspended-tenant ones", async () => {
    const me = await createAccount(t.db);
    await t.db.user.update({ where: { id: me.id }, data: { phone: "+15557770001" } });
    const other = await createTenantWithOwner(t.db, { name: "Beta & Co" });
    const a = await inviteWithLink(t.db, w.administrator.actor, { email: me.email, roles: ["manager"], message: "Welcome aboard" });
    const b = await inviteWithLink(t.db, systemActor(other.tenant), { email: me.email, kind: "CLIENT" });
    // Not mine, or not live: someone else's, cancelled, expired, phone (even matching my profile phone), suspended tenant.
    await inviteWithLink(t.db, w.owner.actor);
    const cancelledIn = await createTenantWithOwner(t.db);
    const cancelled = await inviteWithLink(t.db, systemActor(cancelledIn.tenant), { email: me.email });
    await cancelInvitation(t.db, systemActor(cancelledIn.tenant), { ref: { id: cancelled.invitation.id } });
    const expiredIn = await createTenantWithOwner(t.db);
    const expired = await inviteWithLink(t.db, systemActor(expiredIn.tenant), { email: me.email });
    await t.db.invitation.updateMany({ where: { id: expired.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const phoneIn = await createTenantWithOwner(t.db);
    await inviteWithLink(t.db, systemActor(phoneIn.tenant), { phone: "+15557770001" });
    const suspended = await createTenantWithOwner(t.db);
    await inviteWithLink(t.db, systemActor(suspended.tenant), { email: me.email });
    await t.db.tenant.update({ where: { id: suspended.tenant.id }, data: { status: "SUSPENDED" } });

    const out = await listMyInvitations(t.db, { userId: me.id });
    expect(out.emailVerified).toBe(true);
    expect(out.invitations.map((i) => i.id).sort((x, y) => x - y)).toEqual([a.invitation.id, b.invitation.id].sort((x, y) => x - y));
    expect(out.invitations.find((i) => i.id === a.invitation.id)).toEqual({
      id: a.invitation.id, tenant: { name: w.tenant.name, slug: w.tenant.slug }, kind: "MEMBER",
      roles: [{ slug: "manager", title: "Manager" }], inviterName: expect.any(String), expiresAt: a.invitation.expiresAt, message: "Welcome aboard",
    });
    expect(out.invitations.find((i) => i.id === b.invitation.id)).toMatchObject({
      tenant: { name: "Beta & Co", slug: other.tenant.slug }, kind: "CLIENT", inviterName: null, message: null,
    });
    // The same through tRPC, for the signed-in user only.
    const caller = (await signIn(t.db, me)).caller;
    expect((await caller.invitations.mine()).invitations).toHaveLength(2);
    await expect(callerFor(t.db, null).invitations.mine()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should list nothing for an account whose email is not verified, and refuse its accept by id as NOT_FOUND (the emailed link still works)", async () => {
    const squatter = await createAccount(t.db, { verified: false });
    const inv = await inviteWithLink(t.db, w.owner.actor, { email: squatter.email });
    expect(await listMyInvitations(t.db, { userId: squatter.id })).toEqual({ emailVerified: false, invitations: [] });
    expect((await appError(acceptMyInvitation(t.db, { userId: squatter.id, id: inv.invitation.id }))).code).toBe(AppErrorCode.NOT_FOUND);
    expect((await appError(declineMyInvitation(t.db, { userId: squatter.id, id: inv.invitation.id }))).code).toBe(AppErrorCode.NOT_FOUND);
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "PENDING" });
    // The link proves the mailbox: accepting through it works and verifies the email.
    await acceptInvitation(t.db, { userId: squatter.id, rawToken: inv.token });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: squatter.id } })).emailVerifiedAt).toBeInstanceOf(Date);
  });
});

describe("acceptMyInvitation and declineMyInvitation", () => {
  it("should accept by id: membership with the preset roles and unit grants, audit in the transaction, inviter notified", async () => {
    const me = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, w.administrator.actor, {
      email: me.email, roles: ["manager"],
      unitGrants: [{ unitId: w.units.l1.id, role: "accountant", permissions: [{ slug: "send_sms", value: true }], staffId: 9, position: "Desk" }],
    });
    const out = await acceptMyInvitation(t.db, { userId: me.id, id: inv.invitation.id });
    expect(out).toMatchObject({ tenantId: w.tenant.id, tenantSlug: w.tenant.slug });
    const m = await t.db.membership.findUniqueOrThrow({
      where: { tenantId_id: { tenantId: out.tenantId, id: out.membershipId } },
      include: { roles: { include: { role: true } }, unitAccess: { include: { role: true } } },
    });
    expect(m).toMatchObject({ tenantId: w.tenant.id, userId: me.id, kind: "MEMBER", status: "ACTIVE" });
    expect(m.roles.map((r) => r.role.slug)).toEqual(["manager"]);
    expect(m.unitAccess).toHaveLength(1);
    expect(m.unitAccess[0]).toMatchObject({ unitId: w.units.l1.id, status: "ACTIVE", overrides: { send_sms: true }, staffId: 9, position: "Desk" });
    expect(m.unitAccess[0]!.role.slug).toBe("accountant");
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "ACCEPTED", pendingKey: null, userId: me.id });
    const audit = await t.db.auditEvent.findMany({ where: { action: "invitation.accepted", targetId: String(inv.invitation.id) } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ membershipId: m.id, roles: ["manager"], via: "account" });
    expect(await t.db.emailDelivery.count({ where: { kind: "invitation_accepted", to: w.administrator.user.email, refId: String(m.id) } })).toBe(1);
    // Spent: gone from the list, a second accept and the old link are both refused.
    expect((await listMyInvitations(t.db, { userId: me.id })).invitations).toEqual([]);
    expect((await appError(acceptMyInvitation(t.db, { userId: me.id, id: inv.invitation.id }))).code).toBe(AppErrorCode.NOT_FOUND);
    expect(await previewInvitation(t.db, inv.token)).toBeNull();
  });

  it("should answer someone else's invitation id exactly like a missing one (NOT_FOUND) and change nothing", async () => {
    const me = await createAccount(t.db);
    const victim = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, w.owner.actor, { email: victim.email });
    const before = await writeCounts(t.db, w.tenant.id);
    const foreign = await appError(acceptMyInvitation(t.db, { userId: me.id, id: inv.invitation.id }));
    const missing = await appError(acceptMyInvitation(t.db, { userId: me.id, id: 2_000_000_000 }));
    expect(foreign.code).toBe(AppErrorCode.NOT_FOUND);
    expect({ code: foreign.code, userMessage: foreign.userMessage }).toEqual({ code: missing.code, userMessage: missing.userMessage });
    expect(foreign.userMessage).toBe(MY_INVITATION_NOT_FOUND);
    const declined = await appError(declineMyInvitation(t.db, { userId: me.id, id: inv.invitation.id }));
    expect({ code: declined.code, userMessage: declined.userMessage }).toEqual({ code: missing.code, userMessage: missing.userMessage });
    const caller = (await signIn(t.db, me)).caller;
    await expect(caller.invitations.acceptMine({ id: inv.invitation.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.invitations.declineMine({ id: inv.invitation.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await writeCounts(t.db, w.tenant.id)).toEqual(before);
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "PENDING", userId: victim.id });
    expect(await t.db.membership.count({ where: { tenantId: w.tenant.id, userId: { in: [me.id, victim.id] } } })).toBe(0);
  });

  it("should keep the link's refusals: a suspended tenant is FORBIDDEN and the invitation stays pending", async () => {
    const me = await createAccount(t.db);
    const other = await createTenantWithOwner(t.db);
    const inv = await inviteWithLink(t.db, systemActor(other.tenant), { email: me.email });
    await t.db.tenant.update({ where: { id: other.tenant.id }, data: { status: "SUSPENDED" } });
    expect((await appError(acceptMyInvitation(t.db, { userId: me.id, id: inv.invitation.id }))).code).toBe(AppErrorCode.FORBIDDEN);
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "PENDING" });
  });

  it("should decline by id: DECLINED, the link dead, audited, no membership", async () => {
    const me = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, w.owner.actor, { email: me.email });
    expect(await declineMyInvitation(t.db, { userId: me.id, id: inv.invitation.id })).toEqual({ tenantSlug: w.tenant.slug });
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "DECLINED", pendingKey: null });
    expect(await previewInvitation(t.db, inv.token)).toBeNull();
    const audit = await t.db.auditEvent.findMany({ where: { action: "invitation.declined", targetId: String(inv.invitation.id) } });
    expect(audit.map((a) => a.after)).toEqual([{ status: "DECLINED", via: "account" }]);
    expect(await t.db.membership.count({ where: { tenantId: w.tenant.id, userId: me.id } })).toBe(0);
    expect((await appError(declineMyInvitation(t.db, { userId: me.id, id: inv.invitation.id }))).code).toBe(AppErrorCode.NOT_FOUND);
  });

  it("should accept and decline through the tRPC procedures", async () => {
    const me = await createAccount(t.db);
    const one = await createTenantWithOwner(t.db);
    const two = await createTenantWithOwner(t.db);
    const a = await inviteWithLink(t.db, systemActor(one.tenant), { email: me.email });
    const b = await inviteWithLink(t.db, systemActor(two.tenant), { email: me.email });
    const caller = (await signIn(t.db, me)).caller;
    expect(await caller.invitations.acceptMine({ id: a.invitation.id })).toMatchObject({ tenantSlug: one.tenant.slug });
    expect(await caller.invitations.declineMine({ id: b.invitation.id })).toEqual({ tenantSlug: two.tenant.slug });
    expect(await caller.invitations.mine()).toEqual({ emailVerified: true, invitations: [] });
    expect((await caller.tenants.list()).map((x) => x.slug)).toEqual([one.tenant.slug]);
    await expect(callerFor(t.db, null).invitations.acceptMine({ id: a.invitation.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("accepting by id under concurrency", () => {
  it("should turn concurrent accepts by id and by link of one invitation into exactly one membership", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const me = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, systemActor(tenant), { email: me.email, roles: ["worker"] });
    const results = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => acceptMyInvitation(t.db, { userId: me.id, id: inv.invitation.id })),
      ...Array.from({ length: 4 }, () => acceptInvitation(t.db, { userId: me.id, rawToken: inv.token })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect((r.reason as { code?: string }).code).toMatch(/^(NOT_FOUND|CONFLICT)$/);
    }
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, userId: me.id } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "invitation.accepted", targetId: String(inv.invitation.id) } })).toBe(1);
  });

  it("should let exactly one of two concurrent accepts by id win", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const me = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, systemActor(tenant), { email: me.email });
    const results = await Promise.allSettled([1, 2].map(() => acceptMyInvitation(t.db, { userId: me.id, id: inv.invitation.id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, userId: me.id } })).toBe(1);
  });
});
