/**
 * Issue 9, races and faults: concurrent calls on one invitation, one email, one member's unit access and one
 * tenant's owners end in a state some serial order of the same calls would give (with at least one owner), and no
 * call fails with anything but an AppError with a 4xx status (never a 500). PostgreSQL is where these can go wrong
 * (PGlite runs one transaction at a time); they run on both. Each race repeats a bounded number of rounds.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../server/authz/actor.ts";
import { isAppError, AppErrorCode } from "../../server/errors.ts";
import { copyToUnits } from "../../server/services/access/copy-to-units.ts";
import { removeFromUnit } from "../../server/services/access/remove-from-unit.ts";
import { removeFromUnits } from "../../server/services/access/remove-from-units.ts";
import { updateUnitAccess } from "../../server/services/access/update-unit-access.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { acceptMyInvitation } from "../../server/services/invitations/accept-my-invitation.ts";
import { createInvitation } from "../../server/services/invitations/create-invitation.ts";
import { removeMember } from "../../server/services/members/remove-member.ts";
import { setMemberRoles } from "../../server/services/members/set-member-roles.ts";
import { suspendMember } from "../../server/services/members/suspend-member.ts";
import { accessWorld, actorOf, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createTenantWithOwner, uniqueEmail } from "../helpers/factories.ts";
import { createAccount, inviteWithLink } from "../helpers/invitation-factories.ts";

const t = useTestDb();
const ROUNDS = t.kind === "postgres" ? 8 : 2;
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

type Outcome<T> = { ok: true; value: T } | { ok: false; code: AppErrorCode; status: number };

/** Runs the calls at once; every refusal must be an AppError with a 4xx status, anything else fails the test. */
async function race<T>(calls: Array<() => Promise<T>>): Promise<Outcome<T>[]> {
  const settled = await Promise.allSettled(calls.map((c) => c()));
  return settled.map((s) => {
    if (s.status === "fulfilled") return { ok: true as const, value: s.value };
    const e = s.reason;
    if (!isAppError(e) || e.status < 400 || e.status >= 500) throw new Error(`a racing call failed with a non-4xx error: ${e instanceof Error ? e.stack : String(e)}`);
    return { ok: false as const, code: e.code, status: e.status };
  });
}

describe("concurrent accept of one invitation", () => {
  it("should let exactly one of several simultaneous accepts (link and account page) win, the rest 4xx, one membership", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const person = await createAccount(t.db);
      const inv = await inviteWithLink(t.db, w.owner.actor, { email: person.email, unitGrants: [{ unitId: w.units.l3.id, role: "worker" }] });
      const out = await race([
        () => acceptInvitation(t.db, { userId: person.id, rawToken: inv.token }),
        () => acceptInvitation(t.db, { userId: person.id, rawToken: inv.token }),
        () => acceptMyInvitation(t.db, { userId: person.id, id: inv.invitation.id }),
        () => acceptMyInvitation(t.db, { userId: person.id, id: inv.invitation.id }),
      ]);
      expect(out.filter((o) => o.ok)).toHaveLength(1);
      const m = await t.db.membership.findMany({ where: { tenantId: w.tenant.id, userId: person.id }, include: { unitAccess: true } });
      expect(m).toHaveLength(1);
      expect(m[0]!.unitAccess.map((a) => a.unitId)).toEqual([w.units.l3.id]);
      expect(await t.db.auditEvent.count({ where: { action: "invitation.accepted", targetId: String(inv.invitation.id) } })).toBe(1);
    }
  });
});

describe("concurrent invite of one email", () => {
  it("should create one pending invitation when the same address is invited several times at once; the others answer 409", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const email = uniqueEmail("race-invite");
      const out = await race(Array.from({ length: 4 }, (_, i) =>
        () => createInvitation(t.db, i % 2 ? w.administrator.actor : w.owner.actor, { email, sendEmail: false })));
      expect(out.filter((o) => o.ok)).toHaveLength(1);
      expect(out.filter((o) => !o.ok).map((o) => !o.ok && o.code)).toEqual([AppErrorCode.CONFLICT, AppErrorCode.CONFLICT, AppErrorCode.CONFLICT]);
      expect(await t.db.invitation.count({ where: { tenantId: w.tenant.id, email, status: "PENDING" } })).toBe(1);
      expect(await t.db.user.count({ where: { email } })).toBe(1);
    }
  });
});

describe("concurrent copy and remove of one member", () => {
  it("should end copy, remove (one and many) and update of one member at the same units in a serial state, never 500", async () => {
    const { l1, l2, l3 } = w.units;
    for (let round = 0; round < ROUNDS * 2; round++) {
      const m = await addMemberWithRole(t.db, w.tenant, { role: "worker", unitIds: [l1.id, l2.id] });
      const userId = m.user.id;
      const owner = w.owner.actor;
      const out = await race<unknown>([
        () => copyToUnits(t.db, owner, { unitId: l1.id, userId, links: [{ unitId: l2.id }, { unitId: l3.id }] }),
        () => removeFromUnits(t.db, owner, { unitId: l1.id, userId, links: [{ unitId: l2.id }, { unitId: l3.id }] }),
        () => removeFromUnit(t.db, w.administrator.actor, { unitId: l2.id, userId }),
        () => copyToUnits(t.db, owner, { unitId: l1.id, userId, links: [{ unitId: l3.id }] }),
        () => updateUnitAccess(t.db, owner, { unitId: l2.id, userId, permissions: [{ slug: "timetable_access", value: false }] }),
      ]);
      for (const o of out) if (!o.ok) expect([AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT]).toContain(o.code);
      const units = (await t.db.unitAccess.findMany({ where: { membershipId: m.membership.id }, select: { unitId: true } })).map((a) => a.unitId);
      // L1 is never touched; in any serial order L2 can only survive if a copy ran after both removals, and then the
      // full copy (or the L3 copy, which runs after it or after the batch removal) leaves L3 too.
      expect(units).toContain(l1.id);
      if (units.includes(l2.id)) expect(units).toContain(l3.id);
      // Every successful write left exactly one audit row.
      const audited = await t.db.auditEvent.count({
        where: { tenantId: w.tenant.id, targetType: "membership", targetId: String(m.membership.id), action: { in: ["member.copied_to_units", "member.removed_from_units", "member.unit_removed", "member.unit_access_changed"] } },
      });
      expect(audited).toBe(out.filter((o) => o.ok).length);
    }
  });
});

describe("two owners demoting each other", () => {
  it("should always leave at least one owner when owners demote each other (or themselves) at the same time", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { tenant, owner, membership } = await createTenantWithOwner(t.db);
      const second = await addMemberWithRole(t.db, tenant, { role: "owner" });
      const ownerActor = await actorOf(t.db, tenant, owner.id);
      const secondActor = await actorOf(t.db, tenant, second.user.id);
      const demote = (actor: Actor, id: number) => () => setMemberRoles(t.db, actor, { id, roles: ["administrator"], hasFullAccess: false });
      const calls = round % 2
        ? [demote(ownerActor, second.membership.id), demote(secondActor, membership.id)]
        : [demote(ownerActor, membership.id), demote(secondActor, second.membership.id)];
      const out = await race(calls);
      expect(out.filter((o) => o.ok).length).toBeLessThanOrEqual(1);
      const owners = await t.db.membership.count({
        where: { tenantId: tenant.id, status: "ACTIVE", roles: { some: { role: { slug: "owner" } } } },
      });
      expect(owners).toBe(2 - out.filter((o) => o.ok).length);
      expect(owners).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("concurrent role change, suspension, removal and copy of one member", () => {
  it("should end in a state some serial order gives, each success audited once, never 500", async () => {
    const { l1, l2, l3 } = w.units;
    for (let round = 0; round < ROUNDS * 2; round++) {
      const m = await addMemberWithRole(t.db, w.tenant, { role: "worker", unitIds: [l1.id, l2.id] });
      const owner = w.owner.actor;
      const id = m.membership.id;
      const out = await race<unknown>([
        () => setMemberRoles(t.db, owner, { id, roles: ["manager"], hasFullAccess: false }),
        () => suspendMember(t.db, w.administrator.actor, { id }),
        () => removeMember(t.db, owner, { id }),
        () => setMemberRoles(t.db, w.administrator.actor, { id, roles: ["accountant", "worker"], hasFullAccess: false }),
        () => copyToUnits(t.db, owner, { unitId: l1.id, userId: m.user.id, links: [{ unitId: l3.id }] }),
      ]);
      // The removal never conflicts with anything (the member is no owner), so it always succeeds; what ran after it
      // finds no member.
      expect(out[2]!.ok).toBe(true);
      for (const o of out) if (!o.ok) expect([AppErrorCode.NOT_FOUND, AppErrorCode.FORBIDDEN]).toContain(o.code);
      expect(await t.db.membership.count({ where: { id } })).toBe(0);
      const audited = await t.db.auditEvent.count({
        where: { tenantId: w.tenant.id, targetType: "membership", targetId: String(id), action: { in: ["member.roles_changed", "member.suspended", "member.removed", "member.copied_to_units"] } },
      });
      expect(audited).toBe(out.filter((o) => o.ok).length);
    }
  });
});
