/**
 * Issue 9: copying a member to units respects the last-owner rule like every other path (it had no check of its own):
 * the tenant's last owner is never copied into a non-owner role or a value below all-access at a unit; 409 comes
 * before the permission check, and nothing is written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../server/authz/actor.ts";
import { AppErrorCode, type AppError } from "../../server/errors.ts";
import { copyToUnits } from "../../server/services/access/copy-to-units.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createTenantWithOwner, createUnitIn, type TestTenant } from "../helpers/factories.ts";
import { actorOf } from "../helpers/members-factories.ts";

const t = useTestDb();
let tenant: TestTenant;
let owner: { id: number };
let ownerMembershipId: number;
let ownerActor: Actor;
let units: { l1: { id: number }; l2: { id: number }; l3: { id: number } };

async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  const w = await createTenantWithOwner(t.db);
  tenant = w.tenant;
  owner = w.owner;
  ownerMembershipId = w.membership.id;
  ownerActor = await actorOf(t.db, tenant, owner.id);
  units = { l1: await createUnitIn(t.db, tenant), l2: await createUnitIn(t.db, tenant), l3: await createUnitIn(t.db, tenant) };
  const role = async (slug: string) => (await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: tenant.id, slug } } })).id;
  // A state the app can reach: unit rows written while the tenant had a second owner, who has since left.
  await t.db.unitAccess.create({ data: { tenantId: tenant.id, membershipId: ownerMembershipId, unitId: units.l1.id, roleId: await role("worker") } });
  await t.db.unitAccess.create({ data: { tenantId: tenant.id, membershipId: ownerMembershipId, unitId: units.l3.id, roleId: await role("owner") } });
});

const ownerRows = async () =>
  (await t.db.unitAccess.findMany({ where: { membershipId: ownerMembershipId }, orderBy: { unitId: "asc" }, select: { unitId: true, roleId: true, overrides: true } }));

describe("copyToUnits and the last owner", () => {
  it("should refuse with 409 copying the last owner's non-owner unit role to other units, writing nothing", async () => {
    const before = await ownerRows();
    const err = await appError(copyToUnits(t.db, ownerActor, { unitId: units.l1.id, userId: owner.id, links: [{ unitId: units.l2.id }] }));
    expect(err.code).toBe(AppErrorCode.CONFLICT);
    expect(err.userMessage).toMatch(/last owner/);
    expect(await ownerRows()).toEqual(before);
  });

  it("should refuse with 409 a copy of the last owner that sets a value below all-access", async () => {
    const err = await appError(copyToUnits(t.db, ownerActor, {
      unitId: units.l3.id, userId: owner.id, links: [{ unitId: units.l2.id, permissions: [{ slug: "timetable_access", value: false }] }],
    }));
    expect(err.code).toBe(AppErrorCode.CONFLICT);
  });

  it("should answer the last-owner 409 before the permission check (a worker asking gets 409, not 403)", async () => {
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker", unitIds: [units.l1.id] });
    const err = await appError(copyToUnits(t.db, await actorOf(t.db, tenant, worker.user.id), { unitId: units.l1.id, userId: owner.id, links: [{ unitId: units.l2.id }] }));
    expect(err.code).toBe(AppErrorCode.CONFLICT);
  });

  it("should still copy the last owner's owner role with all-access values, and copy freely once there is a second owner", async () => {
    const ok = await copyToUnits(t.db, ownerActor, { unitId: units.l3.id, userId: owner.id, links: [{ unitId: units.l2.id }], dryRun: true });
    expect(ok.results).toEqual([{ unitId: units.l2.id, result: "added" }]);
    await addMemberWithRole(t.db, tenant, { role: "owner" });
    const out = await copyToUnits(t.db, ownerActor, { unitId: units.l1.id, userId: owner.id, links: [{ unitId: units.l2.id }] });
    expect(out.results).toEqual([{ unitId: units.l2.id, result: "added" }]);
  });
});
