/** Seed 000 REST routes of the access core: envelopes, exact field names, status codes, isolation and the ceiling. */
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listUsers } from "../../app/api/v1/company/[location_id]/users/route.ts";
import { DELETE as deleteUser } from "../../app/api/v1/company/[location_id]/users/[user_id]/route.ts";
import { GET as getPerms, PUT as putPerms } from "../../app/api/v1/company/[location_id]/users/[user_id]/permissions/route.ts";
import { GET as listRoles } from "../../app/api/v1/company/[location_id]/users/roles/route.ts";
import { GET as listUserRoles } from "../../app/api/v1/company/[location_id]/users/[user_id]/roles/route.ts";
import { POST as copyTo } from "../../app/api/v1/company/[location_id]/users/[user_id]/copy_to_companies/route.ts";
import { POST as removeFrom } from "../../app/api/v1/company/[location_id]/users/[user_id]/remove_from_companies/route.ts";
import { GET as myPerms } from "../../app/api/v1/user/permissions/[location_id]/route.ts";
import { GET as companyUsers } from "../../app/api/v1/company_users/[location_id]/route.ts";
import { useTestDb } from "../helpers/db.ts";
import { accessWorld, issueUserTokenRow, type AccessWorld } from "../helpers/access-factories.ts";
import { createPartnerToken, createTenantWithOwner, createUnitIn } from "../helpers/factories.ts";
import { callRoute, error000, type RouteHandler } from "../helpers/http.ts";

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

const V2 = { accept: "application/vnd.api.v2+json" };
const call = (h: unknown, method: string, params: Record<string, string>, authorization: string, extra: { query?: string; json?: unknown } = {}) =>
  callRoute(h as RouteHandler, { method, params, authorization, headers: V2, path: `/api/v1/x${extra.query ?? ""}`, ...(extra.json !== undefined ? { json: extra.json } : {}) });
const ok = (body: unknown) => body as { success: boolean; data: any; meta: any };
const rowOf = (membershipId: number, unitId: number) => t.db.unitAccess.findFirst({ where: { membershipId, unitId } });
const loc = (id: number) => ({ location_id: String(id) });
const locUser = (l: number, u: number) => ({ location_id: String(l), user_id: String(u) });

describe("GET /api/v1/company/{location_id}/users", () => {
  it("GET /company/{id}/users - lists users with exactly the seed fields; owner approved and non-deletable", async () => {
    const res = await call(listUsers, "GET", loc(w.units.l1.id), w.administrator.auth);
    expect(res.status).toBe(200);
    const body = ok(res.body);
    expect(body.success).toBe(true);
    expect(body.meta).toEqual({ count: body.data.length });
    for (const u of body.data) expect(Object.keys(u).sort()).toEqual(["email", "id", "information", "is_approved", "is_non_deletable", "name", "phone"]);
    expect(body.data.find((u: { id: number }) => u.id === w.owner.user.id)).toMatchObject({ is_approved: true, is_non_deletable: true });
    expect(body.data.find((u: { id: number }) => u.id === w.worker.user.id)).toMatchObject({ is_approved: true, is_non_deletable: false, email: w.worker.user.email });
  });

  it("GET /company/{id}/users - filter[is_approved]=0 lists only invited users; application/json works too", async () => {
    const unit = await createUnitIn(t.db, w.tenant);
    const role = await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: w.tenant.id, slug: "worker" } } });
    await t.db.unitAccess.create({ data: { tenantId: w.tenant.id, membershipId: w.client.membershipId, unitId: unit.id, roleId: role.id, status: "INVITED" } });
    const pending = ok((await call(listUsers, "GET", loc(unit.id), w.administrator.auth, { query: "?filter[is_approved]=0" })).body);
    expect(pending.data.map((u: { id: number }) => u.id)).toEqual([w.client.user.id]);
    expect(pending.data[0].is_approved).toBe(false);
    const res = await callRoute(listUsers as unknown as RouteHandler, { method: "GET", params: loc(unit.id), authorization: w.administrator.auth, headers: { accept: "application/json" }, path: "/x?filter[is_approved]=1" });
    expect(ok(res.body).data.map((u: { id: number }) => u.id)).toEqual([w.owner.user.id]);
  });

  it("GET /company/{id}/users - 404 for a subsidiary, a foreign location, a missing id and a non-numeric id", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    for (const id of [String(w.units.sub.id), String(foreign.id), "99999999", "abc", "1.5", "-3"]) {
      const res = await call(listUsers, "GET", { location_id: id }, w.administrator.auth);
      expect(res.status, id).toBe(404);
      expect(ok(res.body).success).toBe(false);
    }
  });

  it("GET /company/{id}/users - 403 for a worker, naming members.read", async () => {
    const res = await call(listUsers, "GET", loc(w.units.l1.id), w.worker.auth);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(error000("Access denied. Missing permission: members.read"));
  });

  it("GET /company/{id}/users - 403 for a partner token without the members.read scope, naming it", async () => {
    const partner = await createPartnerToken(t.db, w.tenant, { scopes: ["audit.read"] });
    const res = await call(listUsers, "GET", loc(w.units.l1.id), `Bearer ${partner.token}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(error000("Access denied. Missing permission: members.read"));
    const userToken = await issueUserTokenRow(t.db, w.tenant, w.administrator.user.id, { id: partner.apiToken.id, scopes: partner.apiToken.scopes });
    const res2 = await call(listUsers, "GET", loc(w.units.l1.id), `Bearer ${partner.token}, User ${userToken}`);
    expect(res2.body).toEqual(error000("Access denied. Missing permission: members.read"));
  });

  it("GET /company/{id}/users - 401 without credentials", async () => {
    const res = await callRoute(listUsers as unknown as RouteHandler, { method: "GET", params: loc(w.units.l1.id) });
    expect(res.status).toBe(401);
  });
});

describe("DELETE /api/v1/company/{location_id}/users/{user_id}", () => {
  it("DELETE /company/{id}/users/{uid} - removes the user from the location: 200 {success, data: null, meta: {}}", async () => {
    const unit = await createUnitIn(t.db, w.tenant);
    const role = await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: w.tenant.id, slug: "worker" } } });
    await t.db.unitAccess.create({ data: { tenantId: w.tenant.id, membershipId: w.client.membershipId, unitId: unit.id, roleId: role.id } });
    const res = await call(deleteUser, "DELETE", locUser(unit.id, w.client.user.id), w.owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: null, meta: {} });
    expect(await rowOf(w.client.membershipId, unit.id)).toBeNull();
  });

  it("DELETE /company/{id}/users/{uid} - 409 for the last owner, whoever asks", async () => {
    for (const p of [w.owner, w.administrator]) {
      const res = await call(deleteUser, "DELETE", locUser(w.units.l1.id, w.owner.user.id), p.auth);
      expect(res.status).toBe(409);
    }
  });

  it("DELETE /company/{id}/users/{uid} - 409 for the last owner even from a worker (no members.remove), writing nothing", async () => {
    const before = await t.db.auditEvent.count({ where: { tenantId: w.tenant.id } });
    const row = await rowOf(w.owner.membershipId, w.units.l1.id);
    const res = await call(deleteUser, "DELETE", locUser(w.units.l1.id, w.owner.user.id), w.worker.auth);
    expect(res.status).toBe(409);
    expect(await rowOf(w.owner.membershipId, w.units.l1.id)).toEqual(row);
    expect(await t.db.auditEvent.count({ where: { tenantId: w.tenant.id } })).toBe(before);
  });

  it("DELETE /company/{id}/users/{uid} - 403 for a manager and an accountant (members.remove)", async () => {
    for (const p of [w.manager, w.accountant]) {
      const res = await call(deleteUser, "DELETE", locUser(w.units.l1.id, w.client.user.id), p.auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(error000("Access denied. Missing permission: members.remove"));
    }
    expect(await rowOf(w.client.membershipId, w.units.l1.id)).not.toBeNull();
  });

  it("DELETE /company/{id}/users/{uid} - 404 for another tenant's user", async () => {
    const other = await createTenantWithOwner(t.db);
    const res = await call(deleteUser, "DELETE", locUser(w.units.l1.id, other.owner.id), w.owner.auth);
    expect(res.status).toBe(404);
  });
});

describe("GET /api/v1/user/permissions/{location_id}", () => {
  it("GET /user/permissions/{id} - the caller's business rights grouped by category", async () => {
    const res = await call(myPerms, "GET", loc(w.units.l1.id), w.worker.auth);
    expect(res.status).toBe(200);
    const data = ok(res.body).data;
    expect(Object.keys(data).sort()).toEqual(["analytics", "clients", "finances", "notifications", "record_form", "settings", "timetable"]);
    expect(data.timetable).toMatchObject({ timetable_access: true, master_id: null, last_days_count: 0 });
    expect(data.record_form.create_records_access).toBe(true);
    expect(data.finances.billing_access).toBe(false);
    const owner = ok((await call(myPerms, "GET", loc(w.units.l3.id), w.owner.auth)).body).data;
    expect(owner.timetable).toMatchObject({ timetable_access: true, master_id: 0, last_days_count: -1 });
  });

  it("GET /user/permissions/{id} - 404 for another tenant's location", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    expect((await call(myPerms, "GET", loc(foreign.id), w.worker.auth)).status).toBe(404);
  });
});

describe("GET/PUT /api/v1/company/{location_id}/users/{user_id}/permissions", () => {
  it("GET .../permissions - exactly user_role, staff_id, is_editable, user_permissions[{slug,value}]", async () => {
    const res = await call(getPerms, "GET", locUser(w.units.l1.id, w.worker.user.id), w.manager.auth);
    expect(res.status).toBe(200);
    const data = ok(res.body).data;
    expect(Object.keys(data).sort()).toEqual(["is_editable", "staff_id", "user_permissions", "user_role"]);
    expect(data).toMatchObject({ user_role: "worker", staff_id: null, is_editable: true });
    expect(data.user_permissions).toContainEqual({ slug: "timetable_access", value: true });
    for (const p of data.user_permissions) expect(Object.keys(p).sort()).toEqual(["slug", "value"]);
  });

  it("GET .../permissions - 404 for a user with no access at the location", async () => {
    expect((await call(getPerms, "GET", locUser(w.units.l3.id, w.worker.user.id), w.manager.auth)).status).toBe(404);
  });

  it("PUT .../permissions - updates role, values and staff_id; unlisted values stay", async () => {
    const res = await call(putPerms, "PUT", locUser(w.units.l2.id, w.client.user.id), w.administrator.auth, {
      json: { user_role: "worker", user_permissions: [{ slug: "send_sms", value: true }, { slug: "last_days_count", value: -1 }], staff_id: 15 },
    });
    expect(res.status).toBe(200);
    const data = ok(res.body).data;
    expect(data).toMatchObject({ user_role: "worker", staff_id: 15, is_editable: true });
    expect(data.user_permissions).toContainEqual({ slug: "send_sms", value: true });
    expect(data.user_permissions).toContainEqual({ slug: "last_days_count", value: -1 });
    expect(data.user_permissions).toContainEqual({ slug: "timetable_access", value: true });
  });

  it("PUT .../permissions - 403 when a manager grants billing_access it lacks; nothing changes", async () => {
    const before = await rowOf(w.worker.membershipId, w.units.l1.id);
    const res = await call(putPerms, "PUT", locUser(w.units.l1.id, w.worker.user.id), w.manager.auth, {
      json: { user_role: "worker", user_permissions: [{ slug: "send_sms", value: true }, { slug: "billing_access", value: true }] },
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(error000("Access denied. Missing permission: billing_access"));
    expect(await rowOf(w.worker.membershipId, w.units.l1.id)).toEqual(before);
  });

  it.each(["worker", "accountant", "client"] as const)("PUT .../permissions - 403 for a %s (members.update)", async (role) => {
    const res = await call(putPerms, "PUT", locUser(w.units.l1.id, w.client.user.id), w[role].auth, { json: { user_permissions: [] } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(error000("Access denied. Missing permission: members.update"));
  });

  it("PUT .../permissions - 422 naming user_permissions[1].value, user_permissions[0].slug and unknown keys", async () => {
    const path = locUser(w.units.l1.id, w.worker.user.id);
    const wrong = await call(putPerms, "PUT", path, w.administrator.auth, { json: { user_permissions: [{ slug: "send_sms", value: true }, { slug: "last_days_count", value: "many" }] } });
    expect(wrong.status).toBe(422);
    expect(ok(wrong.body).meta.message).toContain("user_permissions[1].value");
    const typeMismatch = await call(putPerms, "PUT", path, w.administrator.auth, { json: { user_permissions: [{ slug: "send_sms", value: 3 }] } });
    expect(typeMismatch.status).toBe(422);
    expect(ok(typeMismatch.body).meta.message).toContain("user_permissions[0].value");
    const unknown = await call(putPerms, "PUT", path, w.administrator.auth, { json: { user_permissions: [{ slug: "teleport", value: true }] } });
    expect(ok(unknown.body).meta.message).toContain("user_permissions[0].slug");
    const extra = await call(putPerms, "PUT", path, w.administrator.auth, { json: { user_permissions: [], colour: "red" } });
    expect(extra.status).toBe(422);
    expect(ok(extra.body).meta.message).toContain("colour");
    const role = await call(putPerms, "PUT", path, w.administrator.auth, { json: { user_role: "pirate", user_permissions: [] } });
    expect(role.status).toBe(422);
    expect(ok(role.body).meta.message).toContain("user_role");
  });

  it("PUT .../permissions - 409 stripping the last owner, even by the owner or a worker (no members.update)", async () => {
    for (const p of [w.owner, w.worker]) {
      const res = await call(putPerms, "PUT", locUser(w.units.l1.id, w.owner.user.id), p.auth, { json: { user_role: "manager", user_permissions: [] } });
      expect(res.status).toBe(409);
    }
  });
});

describe("GET /api/v1/company/{location_id}/users/roles and .../users/{user_id}/roles", () => {
  it("GET .../users/roles?include=user_permissions - roles with the permission tree grouped by category", async () => {
    const res = await call(listRoles, "GET", loc(w.units.l1.id), w.administrator.auth, { query: "?include=user_permissions" });
    expect(res.status).toBe(200);
    const roles = ok(res.body).data;
    expect(roles.map((r: { slug: string }) => r.slug)).toEqual(["owner", "administrator", "manager", "accountant", "worker", "client"]);
    expect(Object.keys(roles[0]).sort()).toEqual(["description", "slug", "title", "user_permissions", "weight"]);
    const worker = roles.find((r: { slug: string }) => r.slug === "worker");
    const timetable = worker.user_permissions.find((n: { slug: string }) => n.slug === "timetable");
    expect(Object.keys(timetable).sort()).toEqual(["children", "default_value", "entity_name", "hint", "is_editable", "is_recommended", "options", "slug", "title", "type"]);
    const access = timetable.children.find((n: { slug: string }) => n.slug === "timetable_access");
    expect(access).toMatchObject({ default_value: true, is_recommended: true, is_editable: true, children: [], type: { slug: "has_group_access", all_access_value: true, no_access_value: false } });
    const master = timetable.children.find((n: { slug: string }) => n.slug === "master_id");
    expect(master).toMatchObject({ entity_name: "master", type: { slug: "allowed_id", all_access_value: 0, no_access_value: null } });
    expect(worker.user_permissions.some((n: { slug: string }) => n.slug === "console")).toBe(false);
  });

  it("GET .../users/roles - without include there is no user_permissions key", async () => {
    const roles = ok((await call(listRoles, "GET", loc(w.units.l1.id), w.administrator.auth)).body).data;
    expect(Object.keys(roles[0]).sort()).toEqual(["description", "slug", "title", "weight"]);
  });

  it("GET .../users/{uid}/roles - is_editable says what the caller may grant to this user", async () => {
    const res = await call(listUserRoles, "GET", locUser(w.units.l1.id, w.worker.user.id), w.manager.auth, { query: "?include=user_permissions" });
    const worker = ok(res.body).data.find((r: { slug: string }) => r.slug === "worker");
    const all = worker.user_permissions.flatMap((g: { children: { slug: string; is_editable: boolean }[] }) => g.children);
    expect(all.find((n: { slug: string }) => n.slug === "billing_access").is_editable).toBe(false);
    expect(all.find((n: { slug: string }) => n.slug === "timetable_access").is_editable).toBe(true);
    const onAdmin = await call(listUserRoles, "GET", locUser(w.units.l1.id, w.administrator.user.id), w.manager.auth, { query: "?include=user_permissions" });
    const nodes = ok(onAdmin.body).data[0].user_permissions.flatMap((g: { children: { is_editable: boolean }[] }) => g.children);
    expect(nodes.every((n: { is_editable: boolean }) => !n.is_editable)).toBe(true);
  });

  it("GET .../users/roles - 403 for a worker", async () => {
    expect((await call(listRoles, "GET", loc(w.units.l1.id), w.worker.auth)).status).toBe(403);
  });
});

describe("POST .../copy_to_companies and .../remove_from_companies", () => {
  it("POST copy_to_companies - dry run lists results and writes nothing; then copies", async () => {
    const [a, b] = [await createUnitIn(t.db, w.tenant), await createUnitIn(t.db, w.tenant)];
    const path = locUser(w.units.l1.id, w.accountant.user.id);
    const json = { user_company_links: [{ company_id: a.id }, { company_id: b.id, user_permissions: [{ slug: "send_sms", value: true }] }] };
    const dry = await call(copyTo, "POST", path, w.owner.auth, { query: "?dry_run=1", json });
    expect(dry.status).toBe(200);
    expect(ok(dry.body)).toMatchObject({ success: true, data: null, meta: { results: [{ company_id: a.id, result: "added" }, { company_id: b.id, result: "added" }] } });
    expect(await rowOf(w.accountant.membershipId, a.id)).toBeNull();
    const real = await call(copyTo, "POST", path, w.owner.auth, { json });
    expect(ok(real.body)).toMatchObject({ success: true, data: null, meta: { results: [{ company_id: a.id, result: "added" }, { company_id: b.id, result: "added" }] } });
    expect((await rowOf(w.accountant.membershipId, b.id))!.overrides).toMatchObject({ send_sms: true });

    const removed = await call(removeFrom, "POST", path, w.owner.auth, { json: { user_company_links: [{ company_id: a.id }, { company_id: w.units.l3.id }] } });
    expect(removed.status).toBe(200);
    expect(ok(removed.body)).toMatchObject({ success: true, data: null, meta: { results: [{ company_id: a.id, result: "removed" }, { company_id: w.units.l3.id, result: "not_a_member" }] } });
    expect(await rowOf(w.accountant.membershipId, a.id)).toBeNull();
  });

  it("POST copy_to_companies - 404 and nothing written when one company is another tenant's", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    const fresh = await createUnitIn(t.db, w.tenant);
    const res = await call(copyTo, "POST", locUser(w.units.l1.id, w.accountant.user.id), w.owner.auth, { json: { user_company_links: [{ company_id: fresh.id }, { company_id: foreign.id }] } });
    expect(res.status).toBe(404);
    expect(await rowOf(w.accountant.membershipId, fresh.id)).toBeNull();
    const rm = await call(removeFrom, "POST", locUser(w.units.l1.id, w.accountant.user.id), w.owner.auth, { json: { user_company_links: [{ company_id: w.units.l2.id }, { company_id: foreign.id }] } });
    expect(rm.status).toBe(404);
    expect(await rowOf(w.accountant.membershipId, w.units.l2.id)).not.toBeNull();
  });

  it("POST copy_to_companies - 422 naming the field: over 1,000 links, a bad value", async () => {
    const path = locUser(w.units.l1.id, w.accountant.user.id);
    const many = await call(copyTo, "POST", path, w.owner.auth, { json: { user_company_links: Array.from({ length: 1001 }, (_, i) => ({ company_id: i + 1 })) } });
    expect(many.status).toBe(422);
    expect(ok(many.body).meta.message).toContain("user_company_links");
    const bad = await call(copyTo, "POST", path, w.owner.auth, { json: { user_company_links: [{ company_id: w.units.l2.id, user_permissions: [{ slug: "send_sms", value: "yes" }] }] } });
    expect(bad.status).toBe(422);
    expect(ok(bad.body).meta.message).toContain("user_company_links[0].user_permissions[0].value");
  });

  it("POST copy_to_companies / remove_from_companies - 403 for a worker; 409 removing the last owner", async () => {
    const path = locUser(w.units.l1.id, w.client.user.id);
    expect((await call(copyTo, "POST", path, w.worker.auth, { json: { user_company_links: [{ company_id: w.units.l2.id }] } })).status).toBe(403);
    expect((await call(removeFrom, "POST", path, w.worker.auth, { json: { user_company_links: [{ company_id: w.units.l2.id }] } })).status).toBe(403);
    const res = await call(removeFrom, "POST", locUser(w.units.l1.id, w.owner.user.id), w.owner.auth, { json: { user_company_links: [{ company_id: w.units.l2.id }] } });
    expect(res.status).toBe(409);
    // The last-owner refusal comes before the worker's missing members.remove.
    const byWorker = await call(removeFrom, "POST", locUser(w.units.l1.id, w.owner.user.id), w.worker.auth, { json: { user_company_links: [{ company_id: w.units.l2.id }] } });
    expect(byWorker.status).toBe(409);
  });
});

describe("GET /api/v1/company_users/{location_id} (deprecated)", () => {
  it("GET /company_users/{id} - the seed's fields and access keys, meta [], Deprecation header", async () => {
    const res = await call(companyUsers, "GET", loc(w.units.l1.id), w.administrator.auth);
    expect(res.status).toBe(200);
    expect(res.headers.get("deprecation")).toBe("true");
    const body = ok(res.body);
    expect(body.meta).toEqual([]);
    const worker = body.data.find((u: { id: number }) => u.id === w.worker.user.id);
    expect(Object.keys(worker).sort()).toEqual(["access", "email", "firstname", "id", "information", "login", "phone"]);
    expect(Object.keys(worker.access).sort()).toEqual([
      "billing_access", "client_phones_access", "clients_access", "edit_records_access", "excel_access", "finances_access", "master_id",
      "schedule_edit_access", "send_sms", "settings_access", "stat_access", "storages_access", "timetable_access", "users_access",
    ]);
    expect(worker.login).toBe(w.worker.user.email);
    expect(worker.access.timetable_access).toBe(true);
  });

  it("GET /company_users/{id} - 403 for a client user", async () => {
    expect((await call(companyUsers, "GET", loc(w.units.l1.id), w.client.auth)).status).toBe(403);
  });
});
