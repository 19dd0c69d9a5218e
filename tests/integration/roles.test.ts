/** Roles and tenant rights: list with the permission tree, create/update/delete custom roles, create rights. */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import { accessWorld, callerOf, type AccessWorld } from "../helpers/access-factories.ts";

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a failure");
}

describe("roles", () => {
  it("should list roles by weight with a permission tree including console permissions", async () => {
    const caller = await callerOf(t.db, w.manager);
    const roles = await caller.roles.list({ tenant: w.tenant.slug });
    expect(roles.map((r) => [r.slug, r.weight])).toEqual([["owner", 100], ["administrator", 80], ["manager", 60], ["accountant", 40], ["worker", 20], ["client", 10]]);
    const console = roles.find((r) => r.slug === "administrator")!.permissions!.find((g) => g.slug === "console")!;
    expect(console.children.find((c) => c.slug === "roles.manage")!.defaultValue).toBe(false);
    expect(roles.find((r) => r.slug === "worker")!.usage).toBeGreaterThan(0);
  });

  it("should deny listing roles to a worker", async () => {
    const caller = await callerOf(t.db, w.worker);
    expect((await failure(caller.roles.list({ tenant: w.tenant.slug }))).code).toBe("FORBIDDEN");
  });

  it("should create, update and delete a custom role as the owner; audited", async () => {
    const caller = await callerOf(t.db, w.owner);
    const role = await caller.roles.create({ tenant: w.tenant.slug, slug: "receptionist", title: "Receptionist", weight: 30, defaults: [{ slug: "timetable_access", value: true }, { slug: "last_days_count", value: 7 }] });
    expect(role).toMatchObject({ slug: "receptionist", weight: 30 });
    const updated = await caller.roles.update({ tenant: w.tenant.slug, slug: "receptionist", title: "Front desk", defaults: [{ slug: "send_sms", value: true }] });
    expect(updated.title).toBe("Front desk");
    const row = await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: w.tenant.id, slug: "receptionist" } } });
    expect(row.defaults).toEqual({ timetable_access: true, last_days_count: 7, send_sms: true });
    await caller.roles.delete({ tenant: w.tenant.slug, slug: "receptionist" });
    const actions = await t.db.auditEvent.findMany({ where: { tenantId: w.tenant.id, targetType: "role", targetId: String(role.id) }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["role.created", "role.updated", "role.deleted"]);
  });

  it("should refuse editing the owner role, deleting built-ins and deleting a role in use (409)", async () => {
    const caller = await callerOf(t.db, w.owner);
    expect((await failure(caller.roles.update({ tenant: w.tenant.slug, slug: "owner", title: "Boss" }))).code).toBe("CONFLICT");
    expect((await failure(caller.roles.delete({ tenant: w.tenant.slug, slug: "worker" }))).code).toBe("CONFLICT");
    await caller.roles.create({ tenant: w.tenant.slug, slug: "temp", title: "Temp", weight: 15 });
    await caller.access.update({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.client.user.id, role: "temp" });
    expect((await failure(caller.roles.delete({ tenant: w.tenant.slug, slug: "temp" }))).code).toBe("CONFLICT");
    expect((await failure(caller.roles.create({ tenant: w.tenant.slug, slug: "temp", title: "Again", weight: 15 }))).code).toBe("CONFLICT");
  });

  it("should validate defaults (422 naming the field) and weights below owner", async () => {
    const caller = await callerOf(t.db, w.owner);
    const bad = await failure(caller.roles.create({ tenant: w.tenant.slug, slug: "bad", title: "Bad", weight: 30, defaults: [{ slug: "send_sms", value: 1 }] }));
    expect(bad).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("defaults[0].value") });
    expect((await failure(caller.roles.create({ tenant: w.tenant.slug, slug: "top", title: "Top", weight: 100 }))).code).toBe("UNPROCESSABLE_CONTENT");
  });

  it.each(["administrator", "manager", "worker"] as const)("should deny roles.manage to a %s", async (role) => {
    const caller = await callerOf(t.db, w[role]);
    expect((await failure(caller.roles.create({ tenant: w.tenant.slug, slug: `x${role}`, title: "X", weight: 5 }))).code).toBe("FORBIDDEN");
    expect((await failure(caller.roles.update({ tenant: w.tenant.slug, slug: "client", title: "X" }))).code).toBe("FORBIDDEN");
    expect((await failure(caller.roles.delete({ tenant: w.tenant.slug, slug: "client" }))).code).toBe("FORBIDDEN");
    expect((await failure(caller.roles.createRight({ tenant: w.tenant.slug, slug: `r_${role}`, category: "custom", title: "R", type: "BOOLEAN", defaultValue: false }))).code).toBe("FORBIDDEN");
  });

  it("should refuse role defaults above the caller's own values (a roles.manage holder without billing_access)", async () => {
    const admin = await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: w.tenant.id, slug: "manager" } } });
    await t.db.role.updateMany({ where: { id: admin.id }, data: { defaults: { ...(admin.defaults as object), "roles.manage": true } } });
    const caller = await callerOf(t.db, w.manager);
    const err = await failure(caller.roles.create({ tenant: w.tenant.slug, slug: "biller", title: "Biller", weight: 30, defaults: [{ slug: "billing_access", value: true }] }));
    expect(err).toEqual({ code: "FORBIDDEN", message: "Access denied. Missing permission: billing_access" });
    expect((await failure(caller.roles.create({ tenant: w.tenant.slug, slug: "peer", title: "Peer", weight: 60 }))).code).toBe("FORBIDDEN");
    const ok = await caller.roles.create({ tenant: w.tenant.slug, slug: "helper", title: "Helper", weight: 30, defaults: [{ slug: "clients_access", value: true }] });
    expect(ok.slug).toBe("helper");
    await t.db.role.updateMany({ where: { id: admin.id }, data: { defaults: admin.defaults as object } });
  });

  it("should create a tenant right that joins the catalog and can be granted at a unit", async () => {
    const caller = await callerOf(t.db, w.owner);
    const right = await caller.roles.createRight({ tenant: w.tenant.slug, slug: "pool_access", category: "facilities", title: "Pool", type: "BOOLEAN", defaultValue: false });
    expect(right).toMatchObject({ slug: "pool_access", scope: "UNIT", defaultValue: false });
    expect((await failure(caller.roles.createRight({ tenant: w.tenant.slug, slug: "send_sms", category: "x", title: "X", type: "BOOLEAN", defaultValue: false }))).code).toBe("CONFLICT");
    expect((await failure(caller.roles.createRight({ tenant: w.tenant.slug, slug: "lockers", category: "x", title: "X", type: "INTEGER", defaultValue: true }))).message).toContain("defaultValue");
    const a = await caller.access.update({ tenant: w.tenant.slug, unitId: w.units.l1.id, userId: w.worker.user.id, permissions: [{ slug: "pool_access", value: true }] });
    expect(a.permissions.find((p) => p.slug === "pool_access")).toMatchObject({ value: true, source: "override", category: "facilities" });
  });
});
