/** Seed 003 join-request routes: POST /api/v1/tenants/members/request, GET|POST .../request/accept/{email}, GET|POST .../request/deny/{email}. */
import { describe, expect, it } from "vitest";
import { GET as acceptGET, POST as acceptPOST } from "../../app/api/v1/tenants/members/request/accept/[email]/route.ts";
import { GET as denyGET, POST as denyPOST } from "../../app/api/v1/tenants/members/request/deny/[email]/route.ts";
import { POST as requestPOST } from "../../app/api/v1/tenants/members/request/route.ts";
import { createJoinRequest } from "../../server/services/join-requests/create-join-request.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createPartnerToken, createTenantWithOwner, uniqueEmail, type TestTenant } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { personalTokenOf } from "../helpers/members-factories.ts";

const t = useTestDb();
const bearer = (token: string) => `Bearer ${token}`;
const MEMBER_KEYS = [
  "email", "firstName", "hasFullAccess", "id", "language", "lastLogin", "lastName", "profile", "projectAccess", "roles", "status",
  "subsidiaryAccess", "tenantId", "verified",
];

function expectProblem(res: { status: number; body: unknown }, status: number, title: string, detail?: string) {
  expect(res.status).toBe(status);
  const body = res.body as Record<string, unknown>;
  expect(body.title).toBe(title);
  if (detail) expect(body.detail).toBe(detail);
  expect(typeof body.time).toBe("string");
}

const request = (authorization: string, json?: unknown) =>
  callRoute(requestPOST as unknown as RouteHandler, { method: "POST", path: "/api/v1/tenants/members/request", authorization, ...(json !== undefined ? { json } : {}) });
const byEmail = (handler: unknown, method: string, action: "accept" | "deny") => (authorization: string, email: string) =>
  callRoute(handler as RouteHandler, { method, path: `/api/v1/tenants/members/request/${action}/${encodeURIComponent(email)}`, authorization, params: { email: encodeURIComponent(email) } });

async function setup(policy: "CLOSED" | "REQUEST" | "OPEN" = "REQUEST") {
  const created = await createTenantWithOwner(t.db);
  await t.db.tenant.update({ where: { id: created.tenant.id }, data: { joinPolicy: policy } });
  const ownerToken = await personalTokenOf(t.db, created.tenant, created.owner.id);
  const partner = await createPartnerToken(t.db, created.tenant, { scopes: ["members.read", "requests.manage"] });
  return { ...created, ownerToken, partnerToken: partner.token };
}
const pendingFor = async (tenant: TestTenant) => {
  const user = await t.db.user.create({ data: { email: uniqueEmail("asker"), firstName: "Ann", lastName: "Asker" } });
  await createJoinRequest(t.db, { userId: user.id, tenantSlug: tenant.slug, message: "hi" });
  return user;
};

describe("POST /api/v1/tenants/members/request", () => {
  it("POST /api/v1/tenants/members/request - 201 a Member in status REQUESTED; creates the user without a password", async () => {
    const { tenant, partnerToken } = await setup();
    const email = uniqueEmail("onbehalf");
    const res = await request(bearer(partnerToken), { email: email.toUpperCase(), message: "From our sign-up" });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body as object).sort()).toEqual(MEMBER_KEYS);
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(res.body).toEqual({
      id: String(user.id), tenantId: String(tenant.id), email, firstName: null, lastName: null, language: "en", lastLogin: null, verified: false,
      status: "REQUESTED", hasFullAccess: false, roles: [], projectAccess: [], subsidiaryAccess: [], profile: { displayName: null, avatar: null, logo: null },
    });
    expect(user.passwordHash).toBeNull();
    expect(await t.db.joinRequest.count({ where: { tenantId: tenant.id, userId: user.id, status: "PENDING" } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id, action: "join_request.created", actorType: "TOKEN" } })).toBe(1);
    // A second request for the same person while one is pending: 409.
    expectProblem(await request(bearer(partnerToken), { email }), 409, "Conflict");
  });

  it("POST /api/v1/tenants/members/request - 403 for a user or personal token, even the owner's; nothing written", async () => {
    const { tenant, ownerToken } = await setup();
    const email = uniqueEmail("nope");
    expectProblem(await request(bearer(ownerToken), { email }), 403, "Forbidden");
    expect(await t.db.user.count({ where: { email } })).toBe(0);
    expect(await t.db.joinRequest.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("POST /api/v1/tenants/members/request - 403 when the tenant is CLOSED, 409 for a member, 422 for a bad email, 401 without a token", async () => {
    const closed = await setup("CLOSED");
    expectProblem(await request(bearer(closed.partnerToken), { email: uniqueEmail() }), 403, "Forbidden", "This tenant does not accept requests");
    const open = await setup();
    const member = await addMemberWithRole(t.db, open.tenant);
    expectProblem(await request(bearer(open.partnerToken), { email: member.user.email }), 409, "Conflict");
    const bad = await request(bearer(open.partnerToken), { email: "a@b.example, c@d.example" });
    expectProblem(bad, 422, "Unprocessable Entity");
    expect((bad.body as { errors: { path: string }[] }).errors[0]!.path).toBe("email");
    expectProblem(await request(bearer(open.partnerToken), { email: uniqueEmail(), extra: 1 }), 422, "Unprocessable Entity");
    expectProblem(await request(""), 401, "Unauthorized");
    expect(await t.db.joinRequest.count({ where: { tenantId: { in: [closed.tenant.id, open.tenant.id] } } })).toBe(0);
  });
});

const accepters = [
  { label: "GET /api/v1/tenants/members/request/accept/{email}", call: byEmail(acceptGET, "GET", "accept") },
  { label: "POST /api/v1/tenants/members/request/accept/{email}", call: byEmail(acceptPOST, "POST", "accept") },
];
const deniers = [
  { label: "GET /api/v1/tenants/members/request/deny/{email}", call: byEmail(denyGET, "GET", "deny") },
  { label: "POST /api/v1/tenants/members/request/deny/{email}", call: byEmail(denyPOST, "POST", "deny") },
];

describe.each(accepters)("$label", ({ label, call }) => {
  it(`${label} - 200 the Member, now ACTIVE as a worker; the request is ACCEPTED and the email queued`, async () => {
    const { tenant, ownerToken } = await setup();
    const user = await pendingFor(tenant);
    const res = await call(bearer(ownerToken), user.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object).sort()).toEqual(MEMBER_KEYS);
    expect(res.body).toMatchObject({ id: String(user.id), email: user.email, firstName: "Ann", status: "ACTIVE", roles: ["worker"] });
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, userId: user.id } })).toBe(1);
    expect(await t.db.emailDelivery.count({ where: { kind: "join_request_accepted", to: user.email } })).toBe(1);
    expectProblem(await call(bearer(ownerToken), user.email), 404, "Not Found", "Join request not found.");
  });

  it(`${label} - 404 alike for an unknown email, a person without a pending request and another tenant's request`, async () => {
    const { ownerToken, tenant } = await setup();
    const other = await setup();
    const foreign = await pendingFor(other.tenant);
    const member = await addMemberWithRole(t.db, tenant);
    for (const email of [uniqueEmail("nobody"), member.user.email, foreign.email]) {
      expectProblem(await call(bearer(ownerToken), email), 404, "Not Found", "Join request not found.");
    }
    expect(await t.db.joinRequest.count({ where: { tenantId: other.tenant.id, status: "PENDING" } })).toBe(1);
  });

  it(`${label} - 403 naming requests.manage for a partner token without it and for a worker's token; nothing written`, async () => {
    const { tenant } = await setup();
    const user = await pendingFor(tenant);
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    const worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
    for (const token of [partner.token, await personalTokenOf(t.db, tenant, worker.user.id)]) {
      expectProblem(await call(bearer(token), user.email), 403, "Forbidden", "Access denied. Missing permission: requests.manage");
    }
    expect(await t.db.joinRequest.count({ where: { tenantId: tenant.id, status: "PENDING" } })).toBe(1);
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, userId: user.id } })).toBe(0);
  });

  it(`${label} - 200 under a partner token scoped requests.manage`, async () => {
    const { tenant, partnerToken } = await setup();
    const user = await pendingFor(tenant);
    expect((await call(bearer(partnerToken), user.email)).status).toBe(200);
  });
});

describe.each(deniers)("$label", ({ label, call }) => {
  it(`${label} - 200 the Member as it was before the decision (REQUESTED); the request is DENIED, no membership`, async () => {
    const { tenant, ownerToken } = await setup();
    const user = await pendingFor(tenant);
    const res = await call(bearer(ownerToken), user.email);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object).sort()).toEqual(MEMBER_KEYS);
    expect(res.body).toMatchObject({ id: String(user.id), email: user.email, status: "REQUESTED", roles: [] });
    expect(await t.db.joinRequest.count({ where: { tenantId: tenant.id, userId: user.id, status: "DENIED" } })).toBe(1);
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, userId: user.id } })).toBe(0);
    expect(await t.db.emailDelivery.count({ where: { kind: "join_request_denied", to: user.email } })).toBe(1);
    expectProblem(await call(bearer(ownerToken), user.email), 404, "Not Found");
  });

  it(`${label} - 403 naming requests.manage for a partner token without it`, async () => {
    const { tenant } = await setup();
    const user = await pendingFor(tenant);
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    expectProblem(await call(bearer(partner.token), user.email), 403, "Forbidden", "Access denied. Missing permission: requests.manage");
    expect(await t.db.joinRequest.count({ where: { tenantId: tenant.id, status: "PENDING" } })).toBe(1);
  });
});
