/** Units: list, create, rename, archive/restore and a unit's users, through tRPC. */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import { accessWorld, callerOf, type AccessWorld } from "../helpers/access-factories.ts";
import { createTenantWithOwner, createUnitIn } from "../helpers/factories.ts";

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
  throw new Error("expected a failure");
}

describe("units", () => {
  it("should list the tenant's units with user counts, leaving archived ones out unless asked", async () => {
    const caller = await callerOf(t.db, w.manager);
    const units = await caller.units.list({ tenant: w.tenant.slug });
    expect(units.map((u) => u.name)).toEqual(expect.arrayContaining(["L1", "L2", "L3", "Sub"]));
    expect(units.find((u) => u.id === w.units.l1.id)).toMatchObject({ kind: "LOCATION", archived: false, userCount: 5 });
    const locations = await caller.units.list({ tenant: w.tenant.slug, kind: "SUBSIDIARY" });
    expect(locations.map((u) => u.id)).toEqual([w.units.sub.id]);
  });

  it("should create, rename, archive and restore a unit, auditing each step", async () => {
    const caller = await callerOf(t.db, w.owner);
    const unit = await caller.units.create({ tenant: w.tenant.slug, name: "Harbour", kind: "PROJECT" });
    expect(await caller.units.rename({ tenant: w.tenant.slug, unitId: unit.id, name: "Harbour 2" })).toEqual({ id: unit.id, name: "Harbour 2", kind: "PROJECT" });
    await caller.units.archive({ tenant: w.tenant.slug, unitId: unit.id });
    expect((await caller.units.list({ tenant: w.tenant.slug })).some((u) => u.id === unit.id)).toBe(false);
    expect((await caller.units.list({ tenant: w.tenant.slug, includeArchived: true })).find((u) => u.id === unit.id)?.archived).toBe(true);
    expect(await codeOf(caller.units.archive({ tenant: w.tenant.slug, unitId: unit.id }))).toBe("CONFLICT");
    expect(await codeOf(caller.units.users({ tenant: w.tenant.slug, unitId: unit.id }))).toBe("NOT_FOUND");
    await caller.units.restore({ tenant: w.tenant.slug, unitId: unit.id });
    const actions = await t.db.auditEvent.findMany({ where: { tenantId: w.tenant.id, targetType: "unit", targetId: String(unit.id) }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["unit.created", "unit.renamed", "unit.archived", "unit.restored"]);
  });

  it.each(["administrator", "manager", "worker"] as const)("should deny units.manage to a %s", async (role) => {
    const caller = await callerOf(t.db, w[role]);
    // Administrators hold units.manage by default; the others do not.
    if (role === "administrator") {
      await caller.units.rename({ tenant: w.tenant.slug, unitId: w.units.l3.id, name: "L3" });
      return;
    }
    expect(await codeOf(caller.units.create({ tenant: w.tenant.slug, name: "X", kind: "LOCATION" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.units.rename({ tenant: w.tenant.slug, unitId: w.units.l1.id, name: "X" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.units.archive({ tenant: w.tenant.slug, unitId: w.units.l1.id }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.units.restore({ tenant: w.tenant.slug, unitId: w.units.l1.id }))).toBe("FORBIDDEN");
  });

  it("should deny listing units and their users to a worker and a client (members.read)", async () => {
    for (const p of [w.worker, w.client]) {
      const caller = await callerOf(t.db, p);
      expect(await codeOf(caller.units.list({ tenant: w.tenant.slug }))).toBe("FORBIDDEN");
      expect(await codeOf(caller.units.users({ tenant: w.tenant.slug, unitId: w.units.l1.id }))).toBe("FORBIDDEN");
    }
  });

  it("should list a unit's users with approval and the last-owner flag; another tenant's unit is NOT_FOUND", async () => {
    const caller = await callerOf(t.db, w.administrator);
    const users = await caller.units.users({ tenant: w.tenant.slug, unitId: w.units.l1.id });
    expect(users.find((u) => u.userId === w.owner.user.id)).toMatchObject({ isApproved: true, isNonDeletable: true, hasFullAccess: true, role: null });
    expect(users.find((u) => u.userId === w.worker.user.id)).toMatchObject({ isApproved: true, isNonDeletable: false, role: "worker" });
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    expect(await codeOf(caller.units.rename({ tenant: w.tenant.slug, unitId: foreign.id, name: "mine" }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.units.users({ tenant: w.tenant.slug, unitId: foreign.id }))).toBe("NOT_FOUND");
  });
});
