/** server/authz: the permission catalog and built-in roles are data; these invariants keep them honest. */
import { describe, expect, it } from "vitest";
import { assertCan, can, systemActorFor, systemPermissionsOf, type Actor } from "../../server/authz/actor.ts";
import { BUILTIN_CATALOG, BUSINESS_RIGHTS, SYSTEM_PERMISSIONS, TYPE_VALUES, type SystemPermission } from "../../server/authz/catalog.ts";
import { BUILTIN_ROLES, type BuiltinRoleSlug } from "../../server/authz/roles.ts";
import { AppError } from "../../server/errors.ts";

const role = (slug: BuiltinRoleSlug) => {
  const r = BUILTIN_ROLES.find((x) => x.slug === slug);
  if (!r) throw new Error(`no built-in role ${slug}`);
  return r;
};
const systemSlugs = SYSTEM_PERMISSIONS.map((p) => p.slug);
const heldSystem = (slug: BuiltinRoleSlug) => systemSlugs.filter((p) => role(slug).defaults[p] === true).sort();

function actor(overrides: Partial<Actor> = {}): Actor {
  return {
    kind: "user", tenantId: 1, tenantSlug: "acme", userId: 7, membershipId: 3, tokenId: null, scopes: null,
    roles: ["manager"], hasFullAccess: false, permissions: new Set<SystemPermission>(["members.read"]),
    meta: { ip: null, userAgent: null, requestId: null },
    ...overrides,
  };
}

function forbiddenMessage(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("FORBIDDEN");
    return (e as AppError).userMessage;
  }
  throw new Error("expected FORBIDDEN");
}

describe("catalog", () => {
  it("should have unique slugs across system permissions and business rights", () => {
    const slugs = BUILTIN_CATALOG.map((r) => r.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it("should only depend on rights that exist", () => {
    const known = new Set(BUILTIN_CATALOG.map((r) => r.slug));
    for (const r of BUILTIN_CATALOG) for (const d of r.dependsOn) expect(known.has(d), `${r.slug} depends on ${d}`).toBe(true);
  });

  it("should name system permissions resource.action", () => {
    for (const slug of systemSlugs) expect(slug).toMatch(/^[a-z]+\.[a-z]+$/);
  });
});

describe("built-in roles", () => {
  it("should rank owner 100, administrator 80, manager 60, accountant 40, worker 20, client 10", () => {
    expect(BUILTIN_ROLES.map((r) => [r.slug, r.weight])).toEqual([
      ["owner", 100], ["administrator", 80], ["manager", 60], ["accountant", 40], ["worker", 20], ["client", 10],
    ]);
  });

  it("should give the owner every system permission and every business right at its all-access value", () => {
    expect(heldSystem("owner")).toEqual([...systemSlugs].sort());
    for (const r of BUSINESS_RIGHTS) expect(role("owner").defaults[r.slug], r.slug).toEqual(TYPE_VALUES[r.type].allAccess);
  });

  it("should give the administrator everything except roles.manage and tokens.manage", () => {
    expect(heldSystem("administrator")).toEqual(systemSlugs.filter((p) => p !== "roles.manage" && p !== "tokens.manage").sort());
    expect(role("administrator").defaults["roles.manage"]).toBeUndefined();
    expect(role("administrator").defaults["tokens.manage"]).toBeUndefined();
  });

  it("should give the manager exactly members.read, members.invite, requests.manage and audit.read", () => {
    expect(heldSystem("manager")).toEqual(["audit.read", "members.invite", "members.read", "requests.manage"]);
  });

  it("should give the accountant only members.read among system permissions", () => {
    expect(heldSystem("accountant")).toEqual(["members.read"]);
    expect(role("accountant").defaults.finances_access).toBe(true);
  });

  it("should give worker and client no system permission", () => {
    expect(heldSystem("worker")).toEqual([]);
    expect(heldSystem("client")).toEqual([]);
    expect(role("client").defaults).toEqual({});
  });
});

describe("systemPermissionsOf", () => {
  it("should grant everything to an owner role or to full access", () => {
    expect([...systemPermissionsOf([{ slug: "owner", defaults: {} }], false)].sort()).toEqual([...systemSlugs].sort());
    expect(systemPermissionsOf([], true).size).toBe(systemSlugs.length);
  });

  it("should take the union of the roles' true defaults and ignore business rights", () => {
    const perms = systemPermissionsOf(
      [
        { slug: "accountant", defaults: role("accountant").defaults },
        { slug: "custom", defaults: { "units.manage": true, "audit.read": false, timetable_access: true } },
      ],
      false,
    );
    expect([...perms].sort()).toEqual(["members.read", "units.manage"]);
  });

  it("should tolerate a role without defaults", () => {
    expect(systemPermissionsOf([{ slug: "x", defaults: null }], false).size).toBe(0);
  });
});

describe("assertCan", () => {
  it("should let an actor holding the permission through", () => {
    expect(() => assertCan(actor(), "members.read")).not.toThrow();
    expect(can(actor(), "members.read")).toBe(true);
  });

  it("should deny a person with the plain seed message", () => {
    expect(forbiddenMessage(() => assertCan(actor(), "units.manage"))).toBe("Access denied.");
  });

  it("should deny a token naming the missing permission", () => {
    const token = actor({ kind: "token", tokenId: 9, scopes: ["members.read"] });
    expect(forbiddenMessage(() => assertCan(token, "tokens.manage"))).toBe("Access denied. Missing permission: tokens.manage");
  });

  it("should deny a token whose scopes lack the permission even when its user holds it", () => {
    const token = actor({ kind: "token", tokenId: 9, scopes: ["audit.read"], permissions: new Set(["members.read", "audit.read"]) });
    expect(forbiddenMessage(() => assertCan(token, "members.read"))).toBe("Access denied. Missing permission: members.read");
    expect(can(token, "members.read")).toBe(false);
    expect(can(token, "audit.read")).toBe(true);
  });

  it("should let the system actor do everything inside its tenant", () => {
    const system = systemActorFor({ id: 5, slug: "acme" });
    for (const p of systemSlugs) expect(() => assertCan(system, p)).not.toThrow();
    expect(system.tenantId).toBe(5);
  });
});
