/** Per-unit access (get/update/remove) and copy/remove across units, through tRPC and the services. */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { copyToUnits } from "../../server/services/access/copy-to-units.ts";
import { removeFromUnits } from "../../server/services/access/remove-from-units.ts";
import { updateUnitAccess } from "../../server/services/access/update-unit-access.ts";
import { AppError } from "../../server/errors.ts";
import { useTestDb } from "../helpers/db.ts";
import { accessWorld, callerOf, type AccessWorld } from "../helpers/access-factories.ts";
import { createTenantWithOwner, createUnitIn } from "../helpers/factories.ts";

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

async function appCode(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.userMessage };
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a failure");
}
const rowOf = (membershipId: number, unitId: number) => t.db.unitAccess.findFirst({ where: { membershipId, unitId } });
const value = (a: { permissions: { slug: string; value: unknown; source: string; isEditable: boolean }[] }, slug: string) => a.permissions.find((p) => p.slug === slug)!;

describe("access.get", () => {
  it("should show role, effective values with their source, and what the caller may edit", async () => {
    const caller = await callerOf(t.db, w.manager);
    const a = await caller.access.get({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id });
    expect(a).toMatchObject({ role: "worker", status: "ACTIVE", staffId: null, isEditable: true, hasFullAccess: false });
    expect(value(a, "timetable_access")).toMatchObject({ value: true, source: "role", isEditable: true });
    expect(value(a, "billing_access")).toMatchObject({ value: false, source: "catalog", isEditable: false });
    expect(a.permissions.some((p) => p.slug === "members.read")).toBe(false);
  });

  it("should show the owner's full access everywhere, not editable by an administrator", async () => {
    const caller = await callerOf(t.db, w.administrator);
    const a = await caller.access.get({ tenant: w.tenant.slug, unitId: w.units.l3.id, userId: w.owner.user.id });
    expect(a).toMatchObject({ role: null, status: null, hasFullAccess: true, isEditable: false });
    expect(value(a, "billing_access")).toMatchObject({ value: true, source: "full_access", isEditable: false });
  });

  it.each(["worker", "client"] as const)("should deny members.read to a %s", async (role) => {
    const caller = await callerOf(t.db, w[role]);
    expect(await appCode(caller.access.get({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("should answer NOT_FOUND alike for a foreign unit, a foreign user and a missing id", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreignUnit = await createUnitIn(t.db, other.tenant);
    const caller = await callerOf(t.db, w.administrator);
    const base = { tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id };
    const results = await Promise.all([
      appCode(caller.access.get({ ...base, unitId: foreignUnit.id })),
      appCode(caller.access.get({ ...base, unitId: 99_999_999 })),
      appCode(caller.access.get({ ...base, userId: other.owner.id })),
      appCode(caller.access.get({ ...base, userId: 99_999_999 })),
    ]);
    expect(results.map((r) => r.code)).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);
    expect(results[0]!.message).toBe(results[1]!.message);
    expect(results[2]!.message).toBe(results[3]!.message);
  });
});

describe("access.update", () => {
  it("should set values within the caller's own and keep unlisted ones; audited in the same transaction", async () => {
    const caller = await callerOf(t.db, w.manager);
    const a = await caller.access.update({
      tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id, staffId: 42,
      permissions: [{ slug: "clients_access", value: true }, { slug: "last_days_count", value: 30 }],
    });
    expect(value(a, "clients_access")).toMatchObject({ value: true, source: "override" });
    expect(value(a, "last_days_count")).toMatchObject({ value: 30, source: "override" });
    expect(value(a, "timetable_access")).toMatchObject({ value: true, source: "role" });
    expect(a.staffId).toBe(42);
    const row = await rowOf(w.worker.membershipId, w.units.l1.id);
    expect(row!.overrides).toEqual({ clients_access: true, last_days_count: 30 });
    const audit = await t.db.auditEvent.findFirst({ where: { tenantId: w.tenant.id, action: "member.unit_access_changed", targetId: String(w.worker.membershipId) } });
    expect(audit).toMatchObject({ actorType: "USER", actorUserId: w.manager.user.id });
  });

  it("should refuse a value above the caller's ceiling (manager granting billing_access) and change nothing", async () => {
    const before = await rowOf(w.worker.membershipId, w.units.l2.id);
    const caller = await callerOf(t.db, w.manager);
    const err = await appCode(caller.access.update({
      tenant: w.tenant.slug, unitId: w.units.l2.id, userId: w.worker.user.id,
      permissions: [{ slug: "clients_access", value: true }, { slug: "billing_access", value: true }],
    }));
    expect(err).toEqual({ code: "FORBIDDEN", message: "Access denied. Missing permission: billing_access" });
    expect(await rowOf(w.worker.membershipId, w.units.l2.id)).toEqual(before);
  });

  it.each(["worker", "accountant", "client"] as const)("should deny members.update to a %s", async (role) => {
    const caller = await callerOf(t.db, w[role]);
    const err = await appCode(caller.access.update({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id, permissions: [] }));
    expect(err.code).toBe("FORBIDDEN");
  });

  it("should deny a partner-scoped token without members.update, naming the permission", async () => {
    const err = await appCode(updateUnitAccess(t.db, { ...w.administrator.actor, kind: "token", scopes: ["members.read"] }, { unitId: w.units.l1.id, userId: w.worker.user.id }));
    expect(err).toEqual({ code: "FORBIDDEN", message: "Access denied. Missing permission: members.update" });
  });

  it("should refuse to edit a member of equal or higher rank unless the caller is an owner", async () => {
    const manager = await callerOf(t.db, w.manager);
    expect((await appCode(manager.access.update({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.administrator.user.id, role: "worker" }))).code).toBe("FORBIDDEN");
    const owner = await callerOf(t.db, w.owner);
    const a = await owner.access.update({ tenant: w.tenant.slug, unitId: w.units.l2.id, userId: w.administrator.user.id, staffId: 7 });
    expect(a.staffId).toBe(7);
  });

  it("should let an administrator assign manager but never owner or administrator", async () => {
    const admin = await callerOf(t.db, w.administrator);
    for (const role of ["owner", "administrator"]) {
      const err = await appCode(admin.access.update({ tenant: w.tenant.slug, unitId: w.units.l2.id, userId: w.accountant.user.id, role }));
      expect(err.code, role).toBe("FORBIDDEN");
    }
    const a = await admin.access.update({ tenant: w.tenant.slug, unitId: w.units.l2.id, userId: w.accountant.user.id, role: "manager" });
    expect(a.role).toBe("manager");
    await admin.access.update({ tenant: w.tenant.slug, unitId: w.units.l2.id, userId: w.accountant.user.id, role: "accountant" });
  });

  it("should answer 422 naming the field for an unknown slug or a wrong type", async () => {
    const admin = await callerOf(t.db, w.administrator);
    const base = { tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id };
    const unknown = await appCode(admin.access.update({ ...base, permissions: [{ slug: "send_sms", value: true }, { slug: "fly_access", value: true }] }));
    expect(unknown).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("permissions[1].slug") });
    const wrongType = await appCode(admin.access.update({ ...base, permissions: [{ slug: "send_sms", value: 1 }] }));
    expect(wrongType.message).toContain("permissions[0].value");
    const system = await appCode(admin.access.update({ ...base, permissions: [{ slug: "members.read", value: true }] }));
    expect(system.message).toContain("permissions[0].slug");
  });

  it("should refuse to strip the last owner (409), even when the owner asks", async () => {
    const owner = await callerOf(t.db, w.owner);
    const err = await appCode(owner.access.update({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.owner.user.id, role: "worker" }));
    expect(err.code).toBe("CONFLICT");
    const admin = await callerOf(t.db, w.administrator);
    const err2 = await appCode(admin.access.update({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.owner.user.id, permissions: [{ slug: "billing_access", value: false }] }));
    expect(err2.code).toBe("CONFLICT");
  });
});

describe("access.removeFromUnit", () => {
  it("should deny members.remove to a manager and a worker", async () => {
    for (const p of [w.manager, w.worker]) {
      const caller = await callerOf(t.db, p);
      expect((await appCode(caller.access.removeFromUnit({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.client.user.id }))).code).toBe("FORBIDDEN");
    }
  });

  it("should refuse the last owner with 409 whoever asks", async () => {
    for (const p of [w.owner, w.administrator]) {
      const caller = await callerOf(t.db, p);
      expect((await appCode(caller.access.removeFromUnit({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.owner.user.id }))).code).toBe("CONFLICT");
    }
  });

  it("should remove a member from one unit and audit it", async () => {
    const unit = await createUnitIn(t.db, w.tenant);
    const owner = await callerOf(t.db, w.owner);
    await owner.access.copyToUnits({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.client.user.id, links: [{ unitId: unit.id }] });
    const admin = await callerOf(t.db, w.administrator);
    expect((await appCode(admin.access.removeFromUnit({ tenant: w.tenant.slug, unitId: unit.id, userId: w.client.user.id }))).code).toBe("FORBIDDEN");
    await owner.access.removeFromUnit({ tenant: w.tenant.slug, unitId: unit.id, userId: w.client.user.id });
    expect(await rowOf(w.client.membershipId, unit.id)).toBeNull();
    expect(await t.db.auditEvent.count({ where: { tenantId: w.tenant.id, action: "member.unit_removed", targetId: String(w.client.membershipId) } })).toBe(1);
  });
});

describe("access.copyToUnits", () => {
  it("should add where absent, update where invited (staying invited) or active, and write nothing on a dry run", async () => {
    const { tenant, owner } = w;
    const [a, b, c] = [await createUnitIn(t.db, tenant), await createUnitIn(t.db, tenant), await createUnitIn(t.db, tenant)];
    const worker = await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: tenant.id, slug: "client" } } });
    await t.db.unitAccess.create({ data: { tenantId: tenant.id, membershipId: w.worker.membershipId, unitId: b.id, roleId: worker.id, status: "INVITED" } });
    await t.db.unitAccess.create({ data: { tenantId: tenant.id, membershipId: w.worker.membershipId, unitId: c.id, roleId: worker.id, status: "ACTIVE" } });
    const caller = await callerOf(t.db, owner);
    const input = { tenant: tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id, links: [{ unitId: a.id }, { unitId: b.id, permissions: [{ slug: "send_sms", value: true }] }, { unitId: c.id }] };
    const expected = [{ unitId: a.id, result: "added" }, { unitId: b.id, result: "permissions_updated" }, { unitId: c.id, result: "permissions_updated" }];

    const dry = await caller.access.copyToUnits({ ...input, dryRun: true });
    expect(dry).toEqual({ dryRun: true, results: expected });
    expect(await rowOf(w.worker.membershipId, a.id)).toBeNull();

    const real = await caller.access.copyToUnits(input);
    expect(real).toEqual({ dryRun: false, results: expected });
    const src = await rowOf(w.worker.membershipId, w.units.l1.id);
    const [ra, rb, rc] = [await rowOf(w.worker.membershipId, a.id), await rowOf(w.worker.membershipId, b.id), await rowOf(w.worker.membershipId, c.id)];
    expect(ra).toMatchObject({ status: "ACTIVE", roleId: src!.roleId, overrides: src!.overrides });
    expect(rb).toMatchObject({ status: "INVITED", roleId: src!.roleId, overrides: { ...(src!.overrides as object), send_sms: true } });
    expect(rc).toMatchObject({ status: "ACTIVE", roleId: src!.roleId });
    expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id, action: "member.copied_to_units", targetId: String(w.worker.membershipId) } })).toBe(1);
  });

  it("should write nothing when one target is another tenant's unit (404)", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    const fresh = await createUnitIn(t.db, w.tenant);
    const err = await appCode(copyToUnits(t.db, w.owner.actor, { unitId: w.units.l1.id, userId: w.client.user.id, links: [{ unitId: fresh.id }, { unitId: foreign.id }] }));
    expect(err.code).toBe("NOT_FOUND");
    expect(await rowOf(w.client.membershipId, fresh.id)).toBeNull();
  });

  it("should write nothing when one target is outside the caller's rights (403)", async () => {
    const fresh = await createUnitIn(t.db, w.tenant);
    const admin = await callerOf(t.db, w.administrator);
    // The administrator has access at L1 and L2 only.
    const err = await appCode(admin.access.copyToUnits({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.client.user.id, links: [{ unitId: w.units.l2.id }, { unitId: fresh.id }] }));
    expect(err.code).toBe("FORBIDDEN");
    expect(await t.db.auditEvent.count({ where: { tenantId: w.tenant.id, action: "member.copied_to_units", actorUserId: w.administrator.user.id } })).toBe(0);
  });

  it("should refuse a copied value above the caller's ceiling, naming it", async () => {
    const admin = await callerOf(t.db, w.manager);
    const err = await appCode(admin.access.copyToUnits({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.client.user.id, links: [{ unitId: w.units.l2.id, permissions: [{ slug: "billing_access", value: true }] }] }));
    expect(err).toEqual({ code: "FORBIDDEN", message: "Access denied. Missing permission: billing_access" });
  });

  it.each(["worker", "accountant", "client"] as const)("should deny copying to a %s", async (role) => {
    const caller = await callerOf(t.db, w[role]);
    expect((await appCode(caller.access.copyToUnits({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.client.user.id, links: [{ unitId: w.units.l2.id }] }))).code).toBe("FORBIDDEN");
  });

  it("should refuse more than 1,000 links with a 422", async () => {
    const links = Array.from({ length: 1001 }, (_, i) => ({ unitId: i + 1 }));
    const err = await appCode(copyToUnits(t.db, w.owner.actor, { unitId: w.units.l1.id, userId: w.client.user.id, links }));
    expect(err.code).toBe("UNPROCESSABLE");
  });
});

describe("access.removeFromUnits", () => {
  it("should report removed / not_a_member, write nothing on a dry run, then remove", async () => {
    const [a, b] = [await createUnitIn(t.db, w.tenant), await createUnitIn(t.db, w.tenant)];
    await copyToUnits(t.db, w.owner.actor, { unitId: w.units.l1.id, userId: w.accountant.user.id, links: [{ unitId: a.id }] });
    const caller = await callerOf(t.db, w.owner);
    const input = { tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.accountant.user.id, links: [{ unitId: a.id }, { unitId: b.id }] };
    const expected = [{ unitId: a.id, result: "removed" }, { unitId: b.id, result: "not_a_member" }];
    expect(await caller.access.removeFromUnits({ ...input, dryRun: true })).toEqual({ dryRun: true, results: expected });
    expect(await rowOf(w.accountant.membershipId, a.id)).not.toBeNull();
    expect(await caller.access.removeFromUnits(input)).toEqual({ dryRun: false, results: expected });
    expect(await rowOf(w.accountant.membershipId, a.id)).toBeNull();
  });

  it("should write nothing with a foreign unit in the batch (404)", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    const err = await appCode(removeFromUnits(t.db, w.owner.actor, { unitId: w.units.l1.id, userId: w.worker.user.id, links: [{ unitId: w.units.l2.id }, { unitId: foreign.id }] }));
    expect(err.code).toBe("NOT_FOUND");
    expect(await rowOf(w.worker.membershipId, w.units.l2.id)).not.toBeNull();
  });

  it("should refuse the last owner with 409 and deny a manager (members.remove)", async () => {
    expect((await appCode(removeFromUnits(t.db, w.owner.actor, { unitId: w.units.l1.id, userId: w.owner.user.id, links: [{ unitId: w.units.l2.id }] }))).code).toBe("CONFLICT");
    const caller = await callerOf(t.db, w.manager);
    expect((await appCode(caller.access.removeFromUnits({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id, links: [{ unitId: w.units.l2.id }] }))).code).toBe("FORBIDDEN");
  });
});
