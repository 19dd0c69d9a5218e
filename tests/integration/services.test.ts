/**
 * The use cases behind the CLI and the admin app: createUnit, addMember, createApiToken. Each is authorized on its
 * first line, so each has a "denied for role X" test that goes straight to the service.
 */
import { describe, expect, it } from "vitest";
import { loadMemberActor, type Actor } from "../../server/authz/actor.ts";
import { hashSecret } from "../../server/auth/secrets.ts";
import { verifyCredentials } from "../../server/auth/credentials.ts";
import { addMember } from "../../server/services/members/add-member.ts";
import { createApiToken } from "../../server/services/tokens/create-api-token.ts";
import { createUnit } from "../../server/services/units/create-unit.ts";
import { SYSTEM_PERMISSIONS } from "../../server/authz/catalog.ts";
import { useTestDb } from "../helpers/db.ts";
import {
  addMemberWithRole,
  createTenantWithOwner,
  createUnitIn,
  PASSWORD,
  systemActor,
  TEST_META,
  uniqueEmail,
  type TestTenant,
} from "../helpers/factories.ts";

const t = useTestDb();

/** A signed-in member of `tenant` with `role`, as the tenant procedure would build them. */
async function actorWithRole(tenant: TestTenant, role: string): Promise<Actor> {
  const { user } = await addMemberWithRole(t.db, tenant, { role });
  return loadMemberActor(t.db, { userId: user.id, tenantId: tenant.id }, TEST_META, null, { reauthAt: new Date() });
}

describe("createUnit", () => {
  it("should create a unit in the actor's tenant and audit it with the actor", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const actor = await loadMemberActor(t.db, { userId: owner.id, tenantId: tenant.id }, TEST_META, null, { reauthAt: new Date() });
    const unit = await createUnit(t.db, actor, { name: "  Harbour  ", kind: "LOCATION" });
    expect(unit).toEqual({ id: expect.any(Number), name: "Harbour", kind: "LOCATION" });
    expect(await t.db.unit.findFirstOrThrow({ where: { id: unit.id }, select: { tenantId: true } })).toEqual({ tenantId: tenant.id });
    const audit = await t.db.auditEvent.findFirst({ where: { action: "unit.created", targetId: String(unit.id) } });
    expect(audit).toMatchObject({ tenantId: tenant.id, actorType: "USER", actorUserId: owner.id, ip: TEST_META.ip, requestId: TEST_META.requestId });
  });

  it.each(["manager", "accountant", "worker", "client"])("should be denied for role %s with FORBIDDEN and write nothing", async (role) => {
    const { tenant } = await createTenantWithOwner(t.db);
    const actor = await actorWithRole(tenant, role);
    await expect(createUnit(t.db, actor, { name: "Nope", kind: "PROJECT" })).rejects.toMatchObject({ code: "FORBIDDEN", userMessage: "Access denied." });
    expect(await t.db.unit.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("should be allowed for an administrator", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    await expect(createUnit(t.db, await actorWithRole(tenant, "administrator"), { name: "Labs", kind: "SUBSIDIARY" })).resolves.toMatchObject({ kind: "SUBSIDIARY" });
  });

  it("should reject an unknown kind with UNPROCESSABLE naming `kind`", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    await expect(createUnit(t.db, systemActor(tenant), { name: "X", kind: "SHOP" as never })).rejects.toMatchObject({
      code: "UNPROCESSABLE",
      userMessage: expect.stringMatching(/^Invalid kind: /),
    });
  });
});

describe("addMember", () => {
  it("should add an active member with the role at the tenant and at each unit, who can then sign in", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const unit = await createUnitIn(t.db, tenant);
    const email = uniqueEmail("new");
    const { user, membership } = await addMember(t.db, systemActor(tenant), { email: email.toUpperCase(), password: PASSWORD, role: "accountant", unitIds: [unit.id] });
    expect(user.email).toBe(email);
    const row = await t.db.membership.findFirstOrThrow({
      where: { id: membership.id },
      select: { status: true, kind: true, roles: { select: { role: { select: { slug: true } } } }, unitAccess: { select: { unitId: true, status: true, role: { select: { slug: true } } } } },
    });
    expect(row).toEqual({
      status: "ACTIVE", kind: "MEMBER", roles: [{ role: { slug: "accountant" } }],
      unitAccess: [{ unitId: unit.id, status: "ACTIVE", role: { slug: "accountant" } }],
    });
    await expect(verifyCredentials(t.db, email, PASSWORD)).resolves.toMatchObject({ id: user.id });
  });

  it("should default to the worker role, and to the client role for a client user", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const worker = await addMember(t.db, systemActor(tenant), { email: uniqueEmail(), password: PASSWORD });
    const client = await addMember(t.db, systemActor(tenant), { email: uniqueEmail(), password: PASSWORD, client: true });
    const roles = await t.db.membership.findMany({
      where: { id: { in: [worker.membership.id, client.membership.id] } },
      orderBy: { id: "asc" },
      select: { kind: true, roles: { select: { role: { select: { slug: true } } } } },
    });
    expect(roles).toEqual([
      { kind: "MEMBER", roles: [{ role: { slug: "worker" } }] },
      { kind: "CLIENT", roles: [{ role: { slug: "client" } }] },
    ]);
  });

  it("should refuse someone who is already a member with CONFLICT", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    await expect(addMember(t.db, systemActor(tenant), { email: owner.email, password: PASSWORD })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("should keep an existing account's password when adding it to another tenant", async () => {
    const a = await createTenantWithOwner(t.db);
    const b = await createTenantWithOwner(t.db);
    await addMember(t.db, systemActor(b.tenant), { email: a.owner.email, password: "operator-chosen-password" });
    await expect(verifyCredentials(t.db, a.owner.email, PASSWORD)).resolves.toMatchObject({ id: a.owner.id });
    await expect(verifyCredentials(t.db, a.owner.email, "operator-chosen-password")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should answer NOT_FOUND for another tenant's unit and an unknown role, and create nobody", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const other = await createTenantWithOwner(t.db);
    const foreignUnit = await createUnitIn(t.db, other.tenant);
    const email = uniqueEmail();
    await expect(addMember(t.db, systemActor(tenant), { email, password: PASSWORD, unitIds: [foreignUnit.id] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addMember(t.db, systemActor(tenant), { email, password: PASSWORD, role: "overlord" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
  });

  it.each(["manager", "accountant", "worker", "client"])("should be denied for role %s with FORBIDDEN", async (role) => {
    const { tenant } = await createTenantWithOwner(t.db);
    const actor = await actorWithRole(tenant, role);
    await expect(addMember(t.db, actor, { email: uniqueEmail(), password: PASSWORD })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("createApiToken", () => {
  it("should return the raw partner token once and store only its hash, with every scope by default", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const { token, apiToken } = await createApiToken(t.db, systemActor(tenant), { kind: "partner", name: "Billing sync" });
    expect(token).toMatch(/^rs_pt_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.apiToken.findFirstOrThrow({ where: { id: apiToken.id } });
    expect(row).toMatchObject({ kind: "PARTNER", tenantId: tenant.id, tokenHash: hashSecret(token), prefix: token.slice(0, 12), userId: null });
    expect([...row.scopes].sort()).toEqual(SYSTEM_PERMISSIONS.map((p) => p.slug).sort());
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "api_token.created", targetId: String(apiToken.id) } });
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(token);
  });

  it("should be denied for an administrator (no tokens.manage) with FORBIDDEN", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const actor = await actorWithRole(tenant, "administrator");
    await expect(createApiToken(t.db, actor, { kind: "partner", name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("should let any member create a personal token of their own", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const actor = await actorWithRole(tenant, "worker");
    const { token, apiToken } = await createApiToken(t.db, actor, { kind: "personal", name: "my laptop" });
    expect(token).toMatch(/^rs_pat_/);
    expect(await t.db.apiToken.findFirstOrThrow({ where: { id: apiToken.id }, select: { kind: true, userId: true } })).toEqual({ kind: "PERSONAL", userId: actor.userId });
  });

  it("should refuse a personal token for the system actor (nobody to own it)", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    await expect(createApiToken(t.db, systemActor(tenant), { kind: "personal", name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("should reject an unknown scope with UNPROCESSABLE naming scopes[1]", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    await expect(createApiToken(t.db, systemActor(tenant), { kind: "partner", name: "x", scopes: ["members.read", "everything"] })).rejects.toMatchObject({
      code: "UNPROCESSABLE",
      userMessage: expect.stringMatching(/^Invalid scopes\[1\]: /),
    });
  });
});
