/** createTenant and the tenants router (tenants.list, tenants.current) against a real database. */
import { describe, expect, it } from "vitest";
import { SYSTEM_PERMISSIONS } from "../../server/authz/catalog.ts";
import { BUILTIN_ROLES } from "../../server/authz/roles.ts";
import { verifyCredentials } from "../../server/auth/credentials.ts";
import { createTenant } from "../../server/services/tenants/create-tenant.ts";
import { useTestDb } from "../helpers/db.ts";
import {
  addMemberWithRole,
  callerFor,
  createTenantWithOwner,
  PASSWORD,
  signIn,
  suspendMembership,
  uniqueEmail,
} from "../helpers/factories.ts";

const t = useTestDb();
const everyPermission = SYSTEM_PERMISSIONS.map((p) => p.slug).sort();

describe("createTenant", () => {
  it("should create the six built-in roles with their weights", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const roles = await t.db.role.findMany({ where: { tenantId: tenant.id }, orderBy: { weight: "desc" }, select: { slug: true, weight: true, builtIn: true } });
    expect(roles).toEqual(BUILTIN_ROLES.map((r) => ({ slug: r.slug, weight: r.weight, builtIn: true })));
  });

  it("should make the owner a full-access member holding every system permission", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const membership = await t.db.membership.findUniqueOrThrow({
      where: { tenantId_userId: { tenantId: tenant.id, userId: owner.id } },
      select: { status: true, kind: true, hasFullAccess: true, roles: { select: { role: { select: { slug: true } } } } },
    });
    expect(membership).toEqual({ status: "ACTIVE", kind: "MEMBER", hasFullAccess: true, roles: [{ role: { slug: "owner" } }] });

    const { caller } = await signIn(t.db, owner);
    const current = await caller.tenants.current({ tenant: tenant.slug });
    expect(current.me.permissions).toEqual(everyPermission);
    expect(current.me.roles).toEqual(["owner"]);
    // The owner can sign in with the password given at creation.
    await expect(verifyCredentials(t.db, owner.email.toUpperCase(), PASSWORD)).resolves.toMatchObject({ id: owner.id });
  });

  it("should write a tenant.created audit event attributed to the system", async () => {
    const { tenant, owner, membership } = await createTenantWithOwner(t.db);
    const events = await t.db.auditEvent.findMany({ where: { tenantId: tenant.id }, select: { action: true, actorType: true, targetType: true, targetId: true, after: true } });
    expect(events).toEqual([
      {
        action: "tenant.created", actorType: "SYSTEM", targetType: "tenant", targetId: String(tenant.id),
        after: { name: tenant.name, slug: tenant.slug, ownerUserId: owner.id, ownerMembershipId: membership.id },
      },
    ]);
  });

  it("should write nothing at all when the transaction fails (audit event in the same transaction)", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const before = await t.db.auditEvent.count();
    const email = uniqueEmail("late");
    await expect(createTenant(t.db, { name: "Clash", slug: tenant.slug, ownerEmail: email, ownerPassword: PASSWORD })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await t.db.auditEvent.count()).toBe(before);
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
  });

  it("should reject unknown input keys with UNPROCESSABLE naming the problem", async () => {
    await expect(
      createTenant(t.db, { name: "X", ownerEmail: uniqueEmail(), ownerPassword: PASSWORD, color: "red" } as never),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE", userMessage: expect.stringContaining("color") });
  });

  it("should give a second tenant with the same name a distinct slug", async () => {
    const name = `Same Name ${Date.now()}`;
    const a = await createTenantWithOwner(t.db, { name });
    const b = await createTenantWithOwner(t.db, { name });
    expect(b.tenant.slug).not.toBe(a.tenant.slug);
    expect(b.tenant.slug.startsWith(a.tenant.slug)).toBe(true);
  });
});

describe("tenants.list", () => {
  it("should return only the caller's tenants, with the caller's roles there", async () => {
    const mine = await createTenantWithOwner(t.db, { name: `Alpha ${Date.now()}` });
    const other = await createTenantWithOwner(t.db, { name: `Beta ${Date.now()}` });
    const { user } = await addMemberWithRole(t.db, other.tenant, { role: "manager" });
    // A third tenant nobody here belongs to must not show up either.
    await createTenantWithOwner(t.db);

    const { caller } = await signIn(t.db, user);
    expect(await caller.tenants.list()).toEqual([
      { id: other.tenant.id, slug: other.tenant.slug, name: other.tenant.name, status: "ACTIVE", kind: "MEMBER", roles: ["manager"] },
    ]);
    const { caller: ownerCaller } = await signIn(t.db, mine.owner);
    expect((await ownerCaller.tenants.list()).map((x) => x.slug)).toEqual([mine.tenant.slug]);
  });

  it("should refuse an anonymous caller with UNAUTHORIZED", async () => {
    await expect(callerFor(t.db, null).tenants.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("tenants.current", () => {
  it("should answer NOT_FOUND with the same message for a non-member and for an unknown slug", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const stranger = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, stranger.owner);

    const nonMember = await caller.tenants.current({ tenant: tenant.slug }).catch((e: unknown) => e);
    const unknown = await caller.tenants.current({ tenant: `no-such-${Date.now()}` }).catch((e: unknown) => e);
    expect(nonMember).toMatchObject({ code: "NOT_FOUND", message: "Tenant not found." });
    expect(unknown).toMatchObject({ code: "NOT_FOUND", message: "Tenant not found." });
  });

  it("should answer NOT_FOUND for a malformed slug instead of a validation error", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, owner);
    await expect(caller.tenants.current({ tenant: "../Etc" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("should refuse an unauthenticated caller with UNAUTHORIZED", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    await expect(callerFor(t.db, null).tenants.current({ tenant: tenant.slug })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should refuse a suspended member with FORBIDDEN", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const { user, membership } = await addMemberWithRole(t.db, tenant, { role: "manager" });
    await suspendMembership(t.db, membership.id);
    const { caller } = await signIn(t.db, user);
    await expect(caller.tenants.current({ tenant: tenant.slug })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Your membership in this tenant is suspended.",
    });
  });

  it("should return a manager's own roles and exactly the manager's system permissions", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const { user, membership } = await addMemberWithRole(t.db, tenant, { role: "manager" });
    const { caller } = await signIn(t.db, user);
    expect(await caller.tenants.current({ tenant: tenant.slug })).toEqual({
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      logo: null,
      me: {
        userId: user.id,
        membershipId: membership.id,
        roles: ["manager"],
        hasFullAccess: false,
        permissions: ["audit.read", "members.invite", "members.read", "requests.manage"],
      },
    });
  });
});
