/** authenticateRequest (server/rest/authenticate.ts): who a bearer header acts as, and every way it is refused. */
import { describe, expect, it } from "vitest";
import { POST } from "../../app/api/v1/auth/route.ts";
import { assertCan } from "../../server/authz/actor.ts";
import { authenticateRequest } from "../../server/rest/authenticate.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createPartnerToken, createTenantWithOwner, PASSWORD, revokeApiToken, TEST_META, type TestTenant } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";

const t = useTestDb();

async function issueUserToken(partnerToken: string, login: string): Promise<string> {
  const res = await callRoute(POST as unknown as RouteHandler, { authorization: `Bearer ${partnerToken}`, json: { login, password: PASSWORD } });
  expect(res.status).toBe(201);
  return (res.body as { data: { user_token: string } }).data.user_token;
}

async function managerWithTokens(scopes?: string[]) {
  const { tenant } = await createTenantWithOwner(t.db);
  const partner = await createPartnerToken(t.db, tenant, scopes ? { scopes } : {});
  const { user } = await addMemberWithRole(t.db, tenant, { role: "manager" });
  return { tenant: tenant as TestTenant, partner, user, userToken: await issueUserToken(partner.token, user.email) };
}

const refusal = (header: string) => authenticateRequest(t.db, header, TEST_META).then(() => null, (e: unknown) => e);

describe("authenticateRequest", () => {
  it("should act as the user for a partner/user pair, with scopes = partner ∩ user token", async () => {
    const { tenant, partner, user, userToken } = await managerWithTokens(["members.read", "members.invite", "tokens.manage"]);
    const { actor, partner: p } = await authenticateRequest(t.db, `Bearer ${partner.token}, User ${userToken}`, TEST_META);
    expect(actor).toMatchObject({ kind: "token", tenantId: tenant.id, userId: user.id, roles: ["manager"] });
    expect(p?.id).toBe(partner.apiToken.id);
    expect([...(actor.scopes ?? [])].sort()).toEqual(["members.invite", "members.read", "tokens.manage"]);
    // The scope allows tokens.manage but the manager does not hold it: rights are the intersection.
    expect(() => assertCan(actor, "tokens.manage")).toThrow(expect.objectContaining({ code: "FORBIDDEN", userMessage: "Access denied. Missing permission: tokens.manage" }));
    expect(() => assertCan(actor, "members.invite")).not.toThrow();
  });

  it("should deny a permission the user holds but the partner's scopes exclude", async () => {
    const { partner, userToken } = await managerWithTokens(["members.read"]);
    const { actor } = await authenticateRequest(t.db, `Bearer ${partner.token}, User ${userToken}`, TEST_META);
    expect(() => assertCan(actor, "audit.read")).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });

  it("should act as the integration for a partner token alone, limited to its scopes", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    const { actor } = await authenticateRequest(t.db, `Bearer ${partner.token}`, TEST_META);
    expect(actor).toMatchObject({ kind: "token", tenantId: tenant.id, userId: null, tokenId: partner.apiToken.id });
    expect([...actor.permissions]).toEqual(["members.read"]);
  });

  it("should refuse a pair whose partner and user tokens belong to two tenants with 401", async () => {
    const a = await managerWithTokens();
    const b = await managerWithTokens();
    expect(await refusal(`Bearer ${a.partner.token}, User ${b.userToken}`)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(`Bearer ${b.partner.token}, User ${a.userToken}`)).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should refuse the user tokens of a revoked partner with 401, in both header forms", async () => {
    const { partner, userToken } = await managerWithTokens();
    await revokeApiToken(t.db, partner.apiToken.id);
    expect(await refusal(`Bearer ${userToken}`)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(`Bearer ${partner.token}, User ${userToken}`)).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should refuse a revoked user token while its partner lives", async () => {
    const { tenant, partner, userToken } = await managerWithTokens();
    const row = await t.db.apiToken.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "USER" } });
    await revokeApiToken(t.db, row.id);
    expect(await refusal(`Bearer ${partner.token}, User ${userToken}`)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await authenticateRequest(t.db, `Bearer ${partner.token}`, TEST_META)).toBeTruthy();
  });

  it("should refuse two partner tokens posing as a pair", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const p1 = await createPartnerToken(t.db, tenant);
    const p2 = await createPartnerToken(t.db, tenant);
    expect(await refusal(`Bearer ${p1.token}, User ${p2.token}`)).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should refuse a user token once its user has left the tenant", async () => {
    const { tenant, user, userToken } = await managerWithTokens();
    await t.db.membership.delete({ where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } } });
    expect(await refusal(`Bearer ${userToken}`)).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should answer FORBIDDEN, not UNAUTHORIZED, for a valid token of a suspended tenant", async () => {
    const { tenant, partner } = await managerWithTokens();
    await t.db.tenant.update({ where: { id: tenant.id }, data: { status: "SUSPENDED" } });
    expect(await refusal(`Bearer ${partner.token}`)).toMatchObject({ code: "FORBIDDEN" });
  });

  it("should record when a token was last used", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const partner = await createPartnerToken(t.db, tenant);
    expect((await t.db.apiToken.findFirstOrThrow({ where: { id: partner.apiToken.id } })).lastUsedAt).toBeNull();
    await authenticateRequest(t.db, `Bearer ${partner.token}`, TEST_META);
    expect((await t.db.apiToken.findFirstOrThrow({ where: { id: partner.apiToken.id } })).lastUsedAt).toBeInstanceOf(Date);
  });
});
