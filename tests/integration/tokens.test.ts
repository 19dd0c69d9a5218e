/** API tokens through tRPC: list (who sees what), create (scope ceiling), revoke (cascade, isolation, audit). */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { authenticateRequest } from "../../server/rest/authenticate.ts";
import { revokeApiToken } from "../../server/services/tokens/revoke-api-token.ts";
import { accessWorld, callerOf, issueUserTokenRow, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createPartnerToken, createTenantWithOwner, TEST_META } from "../helpers/factories.ts";

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
    if (e && typeof e === "object" && "code" in e) return String((e as { code: unknown }).code);
    throw e;
  }
  throw new Error("expected a failure");
}

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x));

describe("tokens.list", () => {
  it("should show tokens.manage holders partner tokens and everyone's personal tokens, with user-token counts and no hash", async () => {
    const worker = await callerOf(t.db, w.worker);
    const mine = await worker.tokens.create({ tenant: w.tenant.slug, kind: "personal", name: "worker laptop" });
    const owner = await callerOf(t.db, w.owner);
    const list = await owner.tokens.list({ tenant: w.tenant.slug });
    const partner = list.find((x) => x.id === w.partner.apiToken.id);
    // accessWorld issued one USER token per person (six) under its partner token.
    expect(partner).toMatchObject({ kind: "PARTNER", userTokenCount: 6, owner: null, revokedAt: null });
    expect(list.find((x) => x.id === mine.apiToken.id)).toMatchObject({
      kind: "PERSONAL", name: "worker laptop", owner: { id: w.worker.user.id, email: w.worker.user.email }, createdBy: { id: w.worker.user.id },
    });
    expect(list.some((x) => (x.kind as string) === "USER")).toBe(false);
    expect(json(list)).not.toMatch(/tokenHash|[0-9a-f]{64}/);
    expect(json(list)).not.toContain(mine.token);
  });

  it("should show a member without tokens.manage only their own personal tokens", async () => {
    const manager = await callerOf(t.db, w.manager);
    const own = await manager.tokens.create({ tenant: w.tenant.slug, kind: "personal", name: "manager cli" });
    const list = await manager.tokens.list({ tenant: w.tenant.slug });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((x) => x.kind === "PERSONAL" && x.owner?.id === w.manager.user.id)).toBe(true);
    expect(list.map((x) => x.id)).toContain(own.apiToken.id);
  });

  it("should never list partner tokens to a worker", async () => {
    const worker = await callerOf(t.db, w.worker);
    const list = await worker.tokens.list({ tenant: w.tenant.slug });
    expect(list.some((x) => x.kind === "PARTNER")).toBe(false);
  });
});

describe("tokens.create", () => {
  it("should return the raw token once and audit the creation in the same transaction", async () => {
    const owner = await callerOf(t.db, w.owner);
    const created = await owner.tokens.create({ tenant: w.tenant.slug, kind: "partner", name: "CRM sync", scopes: ["members.read"], expiresInDays: 30 });
    expect(created.token).toMatch(/^rs_pt_/);
    expect(created.apiToken).toMatchObject({ kind: "PARTNER", name: "CRM sync", scopes: ["members.read"] });
    expect(json(created.apiToken)).not.toContain("tokenHash");
    const audit = await t.db.auditEvent.findMany({ where: { tenantId: w.tenant.id, action: "api_token.created", targetId: String(created.apiToken.id) } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "USER", actorUserId: w.owner.user.id, ip: TEST_META.ip });
    expect(json(audit)).not.toContain(created.token);
  });

  it.each(["worker", "manager", "administrator"] as const)("should deny creating a partner token to a %s with FORBIDDEN", async (role) => {
    const caller = await callerOf(t.db, w[role]);
    expect(await codeOf(caller.tokens.create({ tenant: w.tenant.slug, kind: "partner", name: "nope" }))).toBe("FORBIDDEN");
  });

  it("should limit a personal token's scopes to what its creator holds", async () => {
    const manager = await callerOf(t.db, w.manager);
    const all = await manager.tokens.create({ tenant: w.tenant.slug, kind: "personal", name: "all I have" });
    expect([...all.apiToken.scopes].sort()).toEqual([...w.manager.actor.permissions].sort());
    const asked = await manager.tokens.create({ tenant: w.tenant.slug, kind: "personal", name: "wants more", scopes: ["members.read", "roles.manage", "tokens.manage"] });
    expect(asked.apiToken.scopes).toEqual(["members.read"]);
    const worker = await callerOf(t.db, w.worker);
    expect((await worker.tokens.create({ tenant: w.tenant.slug, kind: "personal", name: "w" })).apiToken.scopes).toEqual([]);
  });

  it("should reject unknown keys and an unknown scope with UNPROCESSABLE_CONTENT", async () => {
    const owner = await callerOf(t.db, w.owner);
    expect(await codeOf(owner.tokens.create({ tenant: w.tenant.slug, kind: "partner", name: "x", scopes: ["everything"] }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(owner.tokens.create({ tenant: w.tenant.slug, kind: "partner", name: "x", tenantId: 1 } as never))).toBe("UNPROCESSABLE_CONTENT");
  });
});

describe("tokens.revoke", () => {
  it("should revoke a partner token and its USER tokens, so they fail authenticateRequest with UNAUTHORIZED", async () => {
    const partner = await createPartnerToken(t.db, w.tenant);
    const p = { id: partner.apiToken.id, scopes: partner.apiToken.scopes };
    const userToken = await issueUserTokenRow(t.db, w.tenant, w.manager.user.id, p);
    const header = `Bearer ${partner.token}, User ${userToken}`;
    await authenticateRequest(t.db, header, TEST_META);
    const owner = await callerOf(t.db, w.owner);
    const result = await owner.tokens.revoke({ tenant: w.tenant.slug, id: partner.apiToken.id });
    expect(result).toMatchObject({ id: partner.apiToken.id, revokedUserTokens: 1 });
    const child = await t.db.apiToken.findFirstOrThrow({ where: { parentId: partner.apiToken.id } });
    expect(child.revokedAt).toEqual(result.revokedAt);
    for (const h of [header, `Bearer ${userToken}`, `Bearer ${partner.token}`]) {
      expect(await codeOf(authenticateRequest(t.db, h, TEST_META))).toBe("UNAUTHORIZED");
    }
    const audit = await t.db.auditEvent.findMany({ where: { tenantId: w.tenant.id, action: "api_token.revoked", targetId: String(partner.apiToken.id) } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.after).toMatchObject({ userTokensRevoked: 1 });
    expect(json(result)).not.toContain("tokenHash");
  });

  it("should be idempotent: revoking twice keeps the first time and writes one audit event", async () => {
    const partner = await createPartnerToken(t.db, w.tenant);
    const owner = await callerOf(t.db, w.owner);
    const first = await owner.tokens.revoke({ tenant: w.tenant.slug, id: partner.apiToken.id });
    const second = await owner.tokens.revoke({ tenant: w.tenant.slug, id: partner.apiToken.id });
    expect(second.revokedAt).toEqual(first.revokedAt);
    expect(await t.db.auditEvent.count({ where: { action: "api_token.revoked", targetId: String(partner.apiToken.id) } })).toBe(1);
  });

  it("should let any member revoke their own personal token", async () => {
    const worker = await callerOf(t.db, w.worker);
    const mine = await worker.tokens.create({ tenant: w.tenant.slug, kind: "personal", name: "to revoke" });
    await worker.tokens.revoke({ tenant: w.tenant.slug, id: mine.apiToken.id });
    expect(await codeOf(authenticateRequest(t.db, `Bearer ${mine.token}`, TEST_META))).toBe("UNAUTHORIZED");
    expect((await worker.tokens.list({ tenant: w.tenant.slug })).find((x) => x.id === mine.apiToken.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("should deny a manager revoking a partner token with FORBIDDEN, and leave it live", async () => {
    const partner = await createPartnerToken(t.db, w.tenant);
    const manager = await callerOf(t.db, w.manager);
    expect(await codeOf(manager.tokens.revoke({ tenant: w.tenant.slug, id: partner.apiToken.id }))).toBe("FORBIDDEN");
    expect((await t.db.apiToken.findFirstOrThrow({ where: { id: partner.apiToken.id } })).revokedAt).toBeNull();
  });

  it("should answer NOT_FOUND for someone else's personal token to a member without tokens.manage", async () => {
    const worker = await callerOf(t.db, w.worker);
    const manager = await callerOf(t.db, w.manager);
    const theirs = await manager.tokens.create({ tenant: w.tenant.slug, kind: "personal", name: "manager's" });
    expect(await codeOf(worker.tokens.revoke({ tenant: w.tenant.slug, id: theirs.apiToken.id }))).toBe("NOT_FOUND");
    // tokens.manage may revoke anyone's personal token.
    const owner = await callerOf(t.db, w.owner);
    await owner.tokens.revoke({ tenant: w.tenant.slug, id: theirs.apiToken.id });
  });

  it("should answer NOT_FOUND for another tenant's token id, even to the owner, and leave it live", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createPartnerToken(t.db, other.tenant);
    const owner = await callerOf(t.db, w.owner);
    expect(await codeOf(owner.tokens.revoke({ tenant: w.tenant.slug, id: foreign.apiToken.id }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.tokens.revoke({ tenant: w.tenant.slug, id: 2_000_000_000 }))).toBe("NOT_FOUND");
    expect((await t.db.apiToken.findFirstOrThrow({ where: { id: foreign.apiToken.id } })).revokedAt).toBeNull();
  });

  it("should roll the revocation back when its audit event cannot be written (same transaction)", async () => {
    const partner = await createPartnerToken(t.db, w.tenant);
    await issueUserTokenRow(t.db, w.tenant, w.worker.user.id, { id: partner.apiToken.id, scopes: partner.apiToken.scopes });
    // A NUL byte cannot be stored in a PostgreSQL text column: the audit insert fails after both updates ran.
    const actor = { ...w.owner.actor, meta: { ...TEST_META, requestId: "bad\u0000id" } };
    await expect(revokeApiToken(t.db, actor, { id: partner.apiToken.id })).rejects.toThrow();
    const rows = await t.db.apiToken.findMany({ where: { OR: [{ id: partner.apiToken.id }, { parentId: partner.apiToken.id }] } });
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revokedAt === null)).toBe(true);
  });
});
