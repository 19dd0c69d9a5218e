/** POST /api/v1/auth (seed 000 #0): a partner token exchanges a user's login and password for a user token. */
import { describe, expect, it } from "vitest";
import { POST } from "../../app/api/v1/auth/route.ts";
import { hashSecret } from "../../server/auth/secrets.ts";
import { createApiToken } from "../../server/services/tokens/create-api-token.ts";
import { loadMemberActor } from "../../server/authz/actor.ts";
import { useTestDb } from "../helpers/db.ts";
import {
  addMemberWithRole,
  createPartnerToken,
  createTenantWithOwner,
  PASSWORD,
  revokeApiToken,
  suspendMembership,
  TEST_META,
} from "../helpers/factories.ts";
import { callRoute, error000, type RouteHandler } from "../helpers/http.ts";

const t = useTestDb();
const auth = (opts: Parameters<typeof callRoute>[1]) => callRoute(POST as unknown as RouteHandler, { path: "/api/v1/auth", ...opts });

async function tenantWithPartner() {
  const created = await createTenantWithOwner(t.db);
  const partner = await createPartnerToken(t.db, created.tenant, { scopes: ["members.read", "audit.read"] });
  return { ...created, partner };
}

describe("POST /api/v1/auth", () => {
  it("POST /api/v1/auth - 201 with exactly the seed 000 fields under a partner token", async () => {
    const { tenant, partner } = await tenantWithPartner();
    const { user } = await addMemberWithRole(t.db, tenant, { role: "manager" });
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: user.email, password: PASSWORD } });

    expect(res.status).toBe(201);
    const body = res.body as { success: boolean; data: Record<string, unknown>; meta: unknown };
    expect(body.success).toBe(true);
    expect(body.meta).toEqual({});
    expect(Object.keys(body.data).sort()).toEqual(["avatar", "email", "id", "is_approved", "login", "name", "phone", "user_token"]);
    expect(body.data).toEqual({
      id: user.id, user_token: expect.stringMatching(/^rs_ut_[A-Za-z0-9_-]{43}$/), name: user.email, phone: null,
      login: user.email, email: user.email, avatar: null, is_approved: true,
    });
  });

  it("POST /api/v1/auth - stores only the hash of the user token, tied to the partner and its scopes", async () => {
    const { tenant, partner } = await tenantWithPartner();
    const { user } = await addMemberWithRole(t.db, tenant);
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: user.email, password: PASSWORD } });
    const raw = (res.body as { data: { user_token: string } }).data.user_token;
    const row = await t.db.apiToken.findFirstOrThrow({ where: { tokenHash: hashSecret(raw) } });
    expect(row).toMatchObject({ kind: "USER", tenantId: tenant.id, userId: user.id, parentId: partner.apiToken.id, scopes: ["members.read", "audit.read"] });
    expect(row.expiresAt).not.toBeNull();
    const audit = await t.db.auditEvent.findFirst({ where: { action: "user_token.issued", targetId: String(row.id) } });
    expect(audit).toMatchObject({ tenantId: tenant.id, actorType: "TOKEN", actorTokenId: partner.apiToken.id });
  });

  it("POST /api/v1/auth - 401 seed envelope for a wrong password", async () => {
    const { owner, partner } = await tenantWithPartner();
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: owner.email, password: "wrong-password" } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(error000("Wrong email or password."));
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="roster"');
  });

  it("POST /api/v1/auth - 401 for an unknown login, same message as a wrong password", async () => {
    const { partner } = await tenantWithPartner();
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: "nobody@example.test", password: PASSWORD } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(error000("Wrong email or password."));
  });

  it.each([
    ["missing", undefined],
    ["malformed", "Token abc"],
    ["unknown", `Bearer rs_pt_${"x".repeat(43)}`],
  ])("POST /api/v1/auth - 401 for a %s bearer", async (_label, authorization) => {
    const { owner } = await tenantWithPartner();
    const res = await auth({ ...(authorization ? { authorization } : {}), json: { login: owner.email, password: PASSWORD } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(error000("Authentication needed."));
  });

  it("POST /api/v1/auth - 401 for a revoked partner token", async () => {
    const { owner, partner } = await tenantWithPartner();
    await revokeApiToken(t.db, partner.apiToken.id);
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: owner.email, password: PASSWORD } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(error000("Authentication needed."));
  });

  it("POST /api/v1/auth - 401 for an expired partner token", async () => {
    const { owner, partner } = await tenantWithPartner();
    await t.db.apiToken.updateMany({ where: { id: partner.apiToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: owner.email, password: PASSWORD } });
    expect(res.status).toBe(401);
  });

  it("POST /api/v1/auth - 401 under a user token instead of a partner token", async () => {
    const { owner, partner } = await tenantWithPartner();
    const issued = await auth({ authorization: `Bearer ${partner.token}`, json: { login: owner.email, password: PASSWORD } });
    const userToken = (issued.body as { data: { user_token: string } }).data.user_token;
    for (const authorization of [`Bearer ${userToken}`, `Bearer ${partner.token}, User ${userToken}`]) {
      const res = await auth({ authorization, json: { login: owner.email, password: PASSWORD } });
      expect(res.status, authorization.slice(0, 20)).toBe(401);
      expect((res.body as { success: boolean }).success).toBe(false);
    }
  });

  it("POST /api/v1/auth - 401 under a personal token", async () => {
    const { tenant, owner } = await tenantWithPartner();
    const actor = await loadMemberActor(t.db, { userId: owner.id, tenantId: tenant.id }, TEST_META, null, { reauthAt: new Date() });
    const personal = await createApiToken(t.db, actor, { kind: "personal", name: "laptop" });
    const res = await auth({ authorization: `Bearer ${personal.token}`, json: { login: owner.email, password: PASSWORD } });
    expect(res.status).toBe(401);
  });

  it("POST /api/v1/auth - 422 naming an unknown body key", async () => {
    const { owner, partner } = await tenantWithPartner();
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: owner.email, password: PASSWORD, remember_me: true } });
    expect(res.status).toBe(422);
    const body = res.body as { success: boolean; data: null; meta: { message: string } };
    expect(body.success).toBe(false);
    expect(body.data).toBeNull();
    expect(body.meta.message).toContain("remember_me");
  });

  it("POST /api/v1/auth - 422 naming a field of the wrong type", async () => {
    const { partner } = await tenantWithPartner();
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: 42, password: PASSWORD } });
    expect(res.status).toBe(422);
    expect((res.body as { meta: { message: string } }).meta.message).toMatch(/^Invalid login: /);
  });

  it("POST /api/v1/auth - 422 for a missing body", async () => {
    const { partner } = await tenantWithPartner();
    const res = await auth({ authorization: `Bearer ${partner.token}` });
    expect(res.status).toBe(422);
  });

  it("POST /api/v1/auth - 400 for a body that is not JSON", async () => {
    const { partner } = await tenantWithPartner();
    const res = await auth({ authorization: `Bearer ${partner.token}`, rawBody: '{"login": "a@b.c", "password": ' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(error000("The request body is not valid JSON."));
  });

  it("POST /api/v1/auth - 413 for a body over 1 MB", async () => {
    const { owner, partner } = await tenantWithPartner();
    const rawBody = JSON.stringify({ login: owner.email, password: "x".repeat(1_048_577) });
    const res = await auth({ authorization: `Bearer ${partner.token}`, rawBody });
    expect(res.status).toBe(413);
    expect((res.body as { success: boolean }).success).toBe(false);
  });

  it("POST /api/v1/auth - 403 for valid credentials of someone who is not a member of the partner's tenant", async () => {
    const { partner } = await tenantWithPartner();
    const elsewhere = await createTenantWithOwner(t.db);
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: elsewhere.owner.email, password: PASSWORD } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(error000("Access denied. The user is not a member of this tenant."));
  });

  it("POST /api/v1/auth - 403 for a suspended member", async () => {
    const { tenant, partner } = await tenantWithPartner();
    const { user, membership } = await addMemberWithRole(t.db, tenant);
    await suspendMembership(t.db, membership.id);
    const res = await auth({ authorization: `Bearer ${partner.token}`, json: { login: user.email, password: PASSWORD } });
    expect(res.status).toBe(403);
  });

  it("POST /api/v1/auth - 429 with Retry-After after 10 wrong passwords for one login", async () => {
    const { owner, partner } = await tenantWithPartner();
    const authorization = `Bearer ${partner.token}`;
    for (let i = 0; i < 10; i++) {
      expect((await auth({ authorization, json: { login: owner.email, password: `wrong-${i}` } })).status).toBe(401);
    }
    const res = await auth({ authorization, json: { login: owner.email, password: PASSWORD } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
