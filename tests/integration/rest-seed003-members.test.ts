/** Seed 003 member routes: GET /api/v1/tenants/members/active, GET|POST /api/v1/tenants/members/remove/{email}, DELETE /api/v1/tenants/members/{email}. */
import { describe, expect, it } from "vitest";
import { GET as activeGET } from "../../app/api/v1/tenants/members/active/route.ts";
import { DELETE as memberDELETE } from "../../app/api/v1/tenants/members/[email]/route.ts";
import { GET as removeGET, POST as removePOST } from "../../app/api/v1/tenants/members/remove/[email]/route.ts";
import { useTestDb } from "../helpers/db.ts";
import {
  addMemberWithRole,
  createPartnerToken,
  createTenantWithOwner,
  createUnitIn,
  suspendMembership,
  uniqueEmail,
} from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { personalTokenOf } from "../helpers/members-factories.ts";

const t = useTestDb();
const bearer = (token: string) => `Bearer ${token}`;
const MEMBER_KEYS = [
  "email", "firstName", "hasFullAccess", "id", "language", "lastLogin", "lastName", "profile", "projectAccess", "roles", "status",
  "subsidiaryAccess", "tenantId", "verified",
];

const active = (authorization?: string) =>
  callRoute(activeGET as unknown as RouteHandler, { method: "GET", path: "/api/v1/tenants/members/active", ...(authorization ? { authorization } : {}) });

type Remover = { label: string; call: (authorization: string, email: string) => ReturnType<typeof callRoute> };
const removers: Remover[] = [
  { label: "GET /api/v1/tenants/members/remove/{email}", call: (authorization, email) => callRoute(removeGET as unknown as RouteHandler, { method: "GET", path: `/api/v1/tenants/members/remove/${encodeURIComponent(email)}`, authorization, params: { email: encodeURIComponent(email) } }) },
  { label: "POST /api/v1/tenants/members/remove/{email}", call: (authorization, email) => callRoute(removePOST as unknown as RouteHandler, { method: "POST", path: `/api/v1/tenants/members/remove/${encodeURIComponent(email)}`, authorization, params: { email: encodeURIComponent(email) } }) },
  { label: "DELETE /api/v1/tenants/members/{email}", call: (authorization, email) => callRoute(memberDELETE as unknown as RouteHandler, { method: "DELETE", path: `/api/v1/tenants/members/${encodeURIComponent(email)}`, authorization, params: { email: encodeURIComponent(email) } }) },
];

function expectProblem(res: { status: number; body: unknown }, status: number, title: string, detail?: string) {
  expect(res.status).toBe(status);
  const body = res.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(["detail", "time", "title"]);
  expect(body.title).toBe(title);
  if (detail) expect(body.detail).toBe(detail);
  expect(new Date(body.time as string).toISOString()).toBe(body.time);
}

async function setup() {
  const created = await createTenantWithOwner(t.db);
  const ownerToken = await personalTokenOf(t.db, created.tenant, created.owner.id);
  return { ...created, ownerToken };
}

describe("GET /api/v1/tenants/members/active", () => {
  it("GET /api/v1/tenants/members/active - 200 every ACTIVE member of both kinds in the exact Member shape", async () => {
    const { tenant, owner, ownerToken } = await setup();
    const project = await createUnitIn(t.db, tenant, { kind: "PROJECT" });
    const subsidiary = await createUnitIn(t.db, tenant, { kind: "SUBSIDIARY" });
    const location = await createUnitIn(t.db, tenant, { kind: "LOCATION" });
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker", unitIds: [project.id, subsidiary.id, location.id] });
    const login = new Date("2026-02-03T04:05:06.000Z");
    await t.db.user.update({
      where: { id: worker.user.id },
      data: { firstName: "Wendy", lastName: "Work", displayName: "WW", language: "fr", lastLoginAt: login, avatar: { blobId: "b1", thumbnailBlobId: "t1", width: 64, height: 48 } },
    });
    const client = await addMemberWithRole(t.db, tenant, { client: true });
    const suspended = await addMemberWithRole(t.db, tenant);
    await suspendMembership(t.db, suspended.membership.id);

    const res = await active(bearer(ownerToken));
    expect(res.status).toBe(200);
    const list = res.body as Record<string, unknown>[];
    expect(list.map((m) => m.email)).toEqual([owner.email, worker.user.email, client.user.email]);
    for (const m of list) expect(Object.keys(m).sort()).toEqual(MEMBER_KEYS);
    expect(list[1]).toEqual({
      id: String(worker.user.id), tenantId: String(tenant.id), email: worker.user.email, firstName: "Wendy", lastName: "Work", language: "fr",
      lastLogin: login.toISOString(), verified: true, status: "ACTIVE", hasFullAccess: false, roles: ["worker"],
      projectAccess: [String(project.id)], subsidiaryAccess: [String(subsidiary.id)],
      profile: { displayName: "WW", avatar: { blobId: "b1", thumbnailBlobId: "t1", width: 64, height: 48 }, logo: null },
    });
    expect(list[0]).toMatchObject({ roles: ["owner"], hasFullAccess: true, lastLogin: null, profile: { displayName: null, avatar: null, logo: null } });
    expect(list[2]).toMatchObject({ roles: ["client"], status: "ACTIVE" });
  });

  it("GET /api/v1/tenants/members/active - 200 under a partner token scoped members.read, never another tenant's members", async () => {
    const { tenant } = await setup();
    const other = await createTenantWithOwner(t.db);
    await addMemberWithRole(t.db, other.tenant);
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    const res = await active(bearer(partner.token));
    expect(res.status).toBe(200);
    expect((res.body as { tenantId: string }[]).map((m) => m.tenantId)).toEqual([String(tenant.id)]);
  });

  it("GET /api/v1/tenants/members/active - 403 naming members.read for a partner token without the scope", async () => {
    const { tenant } = await setup();
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["audit.read"] });
    expectProblem(await active(bearer(partner.token)), 403, "Forbidden", "Access denied. Missing permission: members.read");
  });

  it("GET /api/v1/tenants/members/active - 403 naming members.read for a worker's personal token", async () => {
    const { tenant } = await setup();
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
    expectProblem(await active(bearer(await personalTokenOf(t.db, tenant, worker.user.id))), 403, "Forbidden", "Access denied. Missing permission: members.read");
  });

  it("GET /api/v1/tenants/members/active - 403 for a suspended member's token", async () => {
    const { tenant } = await setup();
    const manager = await addMemberWithRole(t.db, tenant, { role: "manager" });
    const token = await personalTokenOf(t.db, tenant, manager.user.id);
    await suspendMembership(t.db, manager.membership.id);
    expectProblem(await active(bearer(token)), 403, "Forbidden");
  });

  it("GET /api/v1/tenants/members/active - 401 without a bearer token", async () => {
    expectProblem(await active(), 401, "Unauthorized");
  });
});

describe.each(removers)("$label", ({ label, call }) => {
  it(`${label} - 200 the Member as it was just before removal; the membership is gone and audited`, async () => {
    const { tenant, ownerToken } = await setup();
    const project = await createUnitIn(t.db, tenant, { kind: "PROJECT" });
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker", unitIds: [project.id] });
    // Addressed case-insensitively and percent-encoded, as a caller may type it.
    const res = await call(bearer(ownerToken), worker.user.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object).sort()).toEqual(MEMBER_KEYS);
    expect(res.body).toMatchObject({ id: String(worker.user.id), email: worker.user.email, status: "ACTIVE", roles: ["worker"], projectAccess: [String(project.id)] });
    expect(await t.db.membership.findFirst({ where: { id: worker.membership.id } })).toBeNull();
    const audit = await t.db.auditEvent.findMany({ where: { tenantId: tenant.id, action: "member.removed", targetId: String(worker.membership.id) } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "TOKEN", before: { email: worker.user.email, roles: ["worker"] } });
    // Gone means gone: a second call is a 404.
    expectProblem(await call(bearer(ownerToken), worker.user.email), 404, "Not Found", "Member not found.");
  });

  it(`${label} - 404 alike for an unknown email and another tenant's member`, async () => {
    const { ownerToken } = await setup();
    const other = await createTenantWithOwner(t.db);
    const foreign = await addMemberWithRole(t.db, other.tenant);
    expectProblem(await call(bearer(ownerToken), uniqueEmail("nobody")), 404, "Not Found", "Member not found.");
    expectProblem(await call(bearer(ownerToken), foreign.user.email), 404, "Not Found", "Member not found.");
    expect(await t.db.membership.findFirst({ where: { id: foreign.membership.id } })).not.toBeNull();
  });

  it(`${label} - 409 for the last owner, even when the owner asks`, async () => {
    const { tenant, owner, ownerToken } = await setup();
    const admin = await addMemberWithRole(t.db, tenant, { role: "administrator" });
    for (const token of [ownerToken, await personalTokenOf(t.db, tenant, admin.user.id)]) {
      expectProblem(await call(bearer(token), owner.email), 409, "Conflict", "This is the tenant's last owner. Make another member owner first.");
    }
  });

  it(`${label} - 409 for the last owner even from a worker's token (no members.remove), writing nothing`, async () => {
    const { tenant, owner } = await setup();
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const token = await personalTokenOf(t.db, tenant, worker.user.id);
    const before = await t.db.auditEvent.count({ where: { tenantId: tenant.id } });
    expectProblem(await call(bearer(token), owner.email), 409, "Conflict", "This is the tenant's last owner. Make another member owner first.");
    expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id } })).toBe(before);
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, userId: owner.id } })).toBe(1);
  });

  it(`${label} - 403 naming members.remove for a manager's token and a partner token without the scope`, async () => {
    const { tenant } = await setup();
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const manager = await addMemberWithRole(t.db, tenant, { role: "manager" });
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    for (const token of [await personalTokenOf(t.db, tenant, manager.user.id), partner.token]) {
      expectProblem(await call(bearer(token), worker.user.email), 403, "Forbidden", "Access denied. Missing permission: members.remove");
    }
    expect(await t.db.membership.findFirst({ where: { id: worker.membership.id } })).not.toBeNull();
  });

  it(`${label} - a partner token with members.remove removes a worker but not an administrator (403)`, async () => {
    const { tenant } = await setup();
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const admin = await addMemberWithRole(t.db, tenant, { role: "administrator" });
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read", "members.remove"] });
    expect((await call(bearer(partner.token), worker.user.email)).status).toBe(200);
    expectProblem(await call(bearer(partner.token), admin.user.email), 403, "Forbidden", "Access denied.");
  });

  it(`${label} - 422 for a path segment that is not an email`, async () => {
    const { ownerToken } = await setup();
    const res = await call(bearer(ownerToken), "not-an-email");
    expect(res.status).toBe(422);
    expect((res.body as { detail: string }).detail).toContain("email");
  });
});
