/**
 * The last-owner rule finds a tenant's owners through Membership.isOwner, which triggers on MembershipRole keep equal
 * to "holds the tenant's owner role". What is proved here is that the flag never drifts from the roles, whichever
 * way a role is granted or taken (services, set-based SQL, updates, cascades), and that the rule still refuses to
 * take the last owner.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createTenantWithOwner, systemActor, type TestTenant } from "../helpers/factories.ts";
import { setMemberRoles } from "../../server/services/members/set-member-roles.ts";
import { removeMember } from "../../server/services/members/remove-member.ts";

const t = useTestDb();

async function flagOf(membershipId: number): Promise<boolean> {
  const [row] = await t.db.$queryRaw<{ isOwner: boolean }[]>`SELECT "isOwner" FROM "Membership" WHERE id = ${membershipId}`;
  return row!.isOwner;
}

/** Memberships of the tenant whose flag differs from whether they hold its owner role. */
async function drifted(tenantId: number): Promise<number> {
  const [row] = await t.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Membership" m
     WHERE m."tenantId" = ${tenantId}
       AND m."isOwner" <> EXISTS (SELECT 1 FROM "MembershipRole" mr JOIN "Role" r ON r.id = mr."roleId"
                                   WHERE mr."membershipId" = m.id AND r.slug = 'owner')`;
  return row!.n;
}

const roleId = async (tenantId: number, slug: string) =>
  (await t.db.role.findFirstOrThrow({ where: { tenantId, slug }, select: { id: true } })).id;

describe("Membership.isOwner", () => {
  let tenant: TestTenant;
  let ownerMembershipId: number;

  beforeAll(async () => {
    const created = await createTenantWithOwner(t.db);
    tenant = created.tenant;
    ownerMembershipId = created.membership.id;
  });

  it("should be set on the owner a new tenant starts with, and not on a member added with another role", async () => {
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
    expect(await flagOf(ownerMembershipId)).toBe(true);
    expect(await flagOf(worker.membership.id)).toBe(false);
  });

  it("should follow a promotion to owner and a demotion from it through setMemberRoles", async () => {
    const m = await addMemberWithRole(t.db, tenant, { role: "manager" });
    await setMemberRoles(t.db, systemActor(tenant), { id: m.membership.id, roles: ["owner", "manager"], hasFullAccess: false });
    expect(await flagOf(m.membership.id)).toBe(true);
    await setMemberRoles(t.db, systemActor(tenant), { id: m.membership.id, roles: ["manager"], hasFullAccess: false });
    expect(await flagOf(m.membership.id)).toBe(false);
  });

  it("should follow set-based inserts, updates and deletes of MembershipRole rows made in raw SQL", async () => {
    const a = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const b = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const owner = await roleId(tenant.id, "owner");
    const worker = await roleId(tenant.id, "worker");
    await t.db.$executeRaw`
      INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId")
      SELECT x, ${owner}, ${tenant.id} FROM unnest(ARRAY[${a.membership.id}, ${b.membership.id}]::int[]) AS x`;
    expect([await flagOf(a.membership.id), await flagOf(b.membership.id)]).toEqual([true, true]);
    // Moving a's owner row onto another role (its old version held the owner role).
    await t.db.$executeRaw`DELETE FROM "MembershipRole" WHERE "membershipId" = ${a.membership.id} AND "roleId" = ${worker}`;
    await t.db.$executeRaw`UPDATE "MembershipRole" SET "roleId" = ${worker} WHERE "membershipId" = ${a.membership.id} AND "roleId" = ${owner}`;
    expect(await flagOf(a.membership.id)).toBe(false);
    await t.db.$executeRaw`DELETE FROM "MembershipRole" WHERE "membershipId" = ${b.membership.id} AND "roleId" = ${owner}`;
    expect(await flagOf(b.membership.id)).toBe(false);
    expect(await drifted(tenant.id)).toBe(0);
  });

  it("should leave no drift when an owner's membership is deleted and its roles go with it (cascade)", async () => {
    const m = await addMemberWithRole(t.db, tenant, { role: "owner" });
    expect(await flagOf(m.membership.id)).toBe(true);
    await removeMember(t.db, systemActor(tenant), { id: m.membership.id });
    expect(await t.db.membership.count({ where: { id: m.membership.id } })).toBe(0);
    expect(await drifted(tenant.id)).toBe(0);
  });

  it("should still refuse to remove the last owner, found through the flag", async () => {
    const { tenant: other, membership } = await createTenantWithOwner(t.db);
    await expect(removeMember(t.db, systemActor(other), { id: membership.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await flagOf(membership.id)).toBe(true);
  });
});
