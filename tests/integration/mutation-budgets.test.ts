/**
 * Statement budgets of the member and unit-access mutations (issue 10), counted at the driver for a whole tRPC call
 * through a signed-in caller: the request's context statement, BEGIN and COMMIT included. Copy and remove across
 * units are set-based: 10 units and 1,000 units take the same number of statements.
 */
import { describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createTenantWithOwner, createUnitIn, signIn, uniqueId, type TestTenant } from "../helpers/factories.ts";
import { countStatements } from "../helpers/statement-counter.ts";

const t = useTestDb();

const BUDGET = { setRoles: 6, remove: 6, copyToUnits: 8, removeFromUnits: 8 } as const;

async function unitsIn(tenant: TestTenant, n: number): Promise<number[]> {
  const tag = uniqueId();
  await t.db.unit.createMany({ data: Array.from({ length: n }, (_, i) => ({ tenantId: tenant.id, name: `B${tag}-${i}`, kind: "LOCATION" as const })) });
  const rows = await t.db.unit.findMany({ where: { tenantId: tenant.id, name: { startsWith: `B${tag}-` } }, select: { id: true }, orderBy: { id: "asc" } });
  return rows.map((r) => r.id);
}

async function roleId(tenant: TestTenant, slug: string) {
  return (await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: tenant.id, slug } }, select: { id: true } })).id;
}

/** Gives `membershipId` ACTIVE access with `role` at every unit of `unitIds` (test setup, one statement). */
async function grantAt(tenant: TestTenant, membershipId: number, unitIds: number[], role: string) {
  const rid = await roleId(tenant, role);
  await t.db.unitAccess.createMany({ data: unitIds.map((unitId) => ({ tenantId: tenant.id, membershipId, unitId, roleId: rid, status: "ACTIVE" as const })) });
}

async function world() {
  const { tenant, owner } = await createTenantWithOwner(t.db);
  const source = await createUnitIn(t.db, tenant);
  const admin = await addMemberWithRole(t.db, tenant, { role: "administrator", unitIds: [source.id] });
  const ownerCaller = (await signIn(t.db, owner)).caller;
  const adminCaller = (await signIn(t.db, admin.user)).caller;
  // Warm the per-process tenant model (the budgets are for the steady state; the model is read once per version).
  await ownerCaller.roles.list({ tenant: tenant.slug, includePermissions: false });
  return { tenant, owner, admin, source, ownerCaller, adminCaller };
}

function report(name: string, run: { count: number; sql: string[] }) {
  // Printed so a failing budget shows where the statements went.
  if (process.env.BUDGET_VERBOSE) console.log(`${name}: ${run.count} statements\n  ${run.sql.join("\n  ")}`);
}

describe("mutation statement budgets", () => {
  it(`should change a member's roles in at most ${BUDGET.setRoles} statements`, async () => {
    const w = await world();
    const m = await addMemberWithRole(t.db, w.tenant, { role: "worker" });
    const run = await countStatements(() => w.ownerCaller.members.setRoles({ tenant: w.tenant.slug, id: m.membership.id, roles: ["manager"], hasFullAccess: false }));
    report("setRoles", run);
    expect(run.result.roles).toEqual(["manager"]);
    expect(run.count).toBeLessThanOrEqual(BUDGET.setRoles);
  });

  it(`should demote one of two owners and grant full access in at most ${BUDGET.setRoles} statements`, async () => {
    const w = await world();
    const m = await addMemberWithRole(t.db, w.tenant, { role: "owner" });
    const run = await countStatements(() => w.ownerCaller.members.setRoles({ tenant: w.tenant.slug, id: m.membership.id, roles: ["administrator", "manager"], hasFullAccess: true }));
    report("setRoles owner", run);
    expect(run.result).toMatchObject({ roles: ["administrator", "manager"], hasFullAccess: true });
    expect(run.count).toBeLessThanOrEqual(BUDGET.setRoles);
  });

  it(`should change roles as an administrator in at most ${BUDGET.setRoles} statements`, async () => {
    const w = await world();
    const m = await addMemberWithRole(t.db, w.tenant, { role: "worker", unitIds: [w.source.id] });
    const run = await countStatements(() => w.adminCaller.members.setRoles({ tenant: w.tenant.slug, id: m.membership.id, roles: ["manager", "accountant"], hasFullAccess: false }));
    report("setRoles admin", run);
    expect(run.result.roles).toEqual(["manager", "accountant"]);
    expect(run.result.units).toHaveLength(1);
    expect(run.count).toBeLessThanOrEqual(BUDGET.setRoles);
  });

  it(`should remove a member in at most ${BUDGET.remove} statements`, async () => {
    const w = await world();
    const m = await addMemberWithRole(t.db, w.tenant, { role: "worker", unitIds: [w.source.id] });
    const run = await countStatements(() => w.adminCaller.members.remove({ tenant: w.tenant.slug, id: m.membership.id }));
    report("remove", run);
    expect(run.result).toMatchObject({ id: m.membership.id, roles: ["worker"] });
    expect(run.count).toBeLessThanOrEqual(BUDGET.remove);
  });

  it(`should remove an owner in at most ${BUDGET.remove} statements`, async () => {
    const w = await world();
    const m = await addMemberWithRole(t.db, w.tenant, { role: "owner" });
    const run = await countStatements(() => w.ownerCaller.members.remove({ tenant: w.tenant.slug, id: m.membership.id }));
    report("remove owner", run);
    expect(run.result.roles).toEqual(["owner"]);
    expect(run.count).toBeLessThanOrEqual(BUDGET.remove);
  });

  it("should suspend and reactivate a member, change and remove their access at one unit, in at most 6 statements each", async () => {
    const w = await world();
    const m = await addMemberWithRole(t.db, w.tenant, { role: "worker", unitIds: [w.source.id] });
    const ref = { tenant: w.tenant.slug, id: m.membership.id };
    const suspend = await countStatements(() => w.adminCaller.members.suspend(ref));
    report("suspend", suspend);
    expect(suspend.result.status).toBe("SUSPENDED");
    const reactivate = await countStatements(() => w.adminCaller.members.reactivate(ref));
    report("reactivate", reactivate);
    expect(reactivate.result.status).toBe("ACTIVE");
    const at = { tenant: w.tenant.slug, unitId: w.source.id, userId: m.user.id };
    const update = await countStatements(() => w.adminCaller.access.update({ ...at, role: "manager", permissions: [{ slug: "timetable_access", value: false }] }));
    report("access.update", update);
    expect(update.result).toMatchObject({ role: "manager", isEditable: true });
    expect(update.result.permissions.find((p) => p.slug === "timetable_access")).toMatchObject({ value: false, source: "override" });
    const read = await countStatements(() => w.adminCaller.access.get(at));
    report("access.get", read);
    expect(read.result).toMatchObject({ role: "manager", staffId: null, isEditable: true });
    expect(read.count).toBeLessThanOrEqual(3);
    const grid = await countStatements(() => w.adminCaller.roles.list({ tenant: w.tenant.slug, scope: "unit", unitId: w.source.id, userId: m.user.id }));
    report("roles.list at a unit for a user", grid);
    expect(grid.result.find((r) => r.slug === "worker")?.permissions?.length).toBeGreaterThan(0);
    expect(grid.count).toBeLessThanOrEqual(3);
    const removeOne = await countStatements(() => w.adminCaller.access.removeFromUnit(at));
    report("access.removeFromUnit", removeOne);
    expect(removeOne.result).toEqual({ unitId: w.source.id, userId: m.user.id });
    for (const run of [suspend, reactivate, update, removeOne]) expect(run.count).toBeLessThanOrEqual(6);
  });

  for (const who of ["owner", "administrator"] as const) {
    it(`should copy to 1,000 units and back in at most ${BUDGET.copyToUnits} and ${BUDGET.removeFromUnits} statements, as many as for 10 units (${who})`, async () => {
      const w = await world();
      const caller = who === "owner" ? w.ownerCaller : w.adminCaller;
      const m = await addMemberWithRole(t.db, w.tenant, { role: "worker", unitIds: [w.source.id] });
      const counts: Record<number, { copy: number; remove: number }> = {};
      for (const n of [10, 1000]) {
        const targets = await unitsIn(w.tenant, n);
        // An administrator reaches only the units it holds itself; a third of the targets already have the member.
        if (who === "administrator") await grantAt(w.tenant, w.admin.membership.id, targets, "administrator");
        await grantAt(w.tenant, m.membership.id, targets.slice(0, Math.floor(n / 3)), "client");
        const links = targets.map((unitId) => ({ unitId }));
        let started = performance.now();
        const copy = await countStatements(() => caller.access.copyToUnits({ tenant: w.tenant.slug, unitId: w.source.id, userId: m.user.id, links }));
        report(`copy ${n} ${who} (${Math.round(performance.now() - started)} ms)`, copy);
        expect(copy.result.results.filter((r) => r.result === "added")).toHaveLength(n - Math.floor(n / 3));
        expect(copy.result.results.filter((r) => r.result === "permissions_updated")).toHaveLength(Math.floor(n / 3));
        const held = await t.db.unitAccess.count({ where: { membershipId: m.membership.id, unitId: { in: targets }, role: { slug: "worker" } } });
        expect(held).toBe(n);
        started = performance.now();
        const remove = await countStatements(() => caller.access.removeFromUnits({ tenant: w.tenant.slug, unitId: w.source.id, userId: m.user.id, links }));
        report(`remove ${n} ${who} (${Math.round(performance.now() - started)} ms)`, remove);
        expect(remove.result.results.every((r) => r.result === "removed")).toBe(true);
        expect(await t.db.unitAccess.count({ where: { membershipId: m.membership.id, unitId: { in: targets } } })).toBe(0);
        expect(copy.count).toBeLessThanOrEqual(BUDGET.copyToUnits);
        expect(remove.count).toBeLessThanOrEqual(BUDGET.removeFromUnits);
        counts[n] = { copy: copy.count, remove: remove.count };
      }
      expect(counts[1000]).toEqual(counts[10]);
    });
  }
});
