/** server/authz/effective.ts: effective values, their explanation, the type order and the grant ceiling. */
import { describe, expect, it } from "vitest";
import { BUILTIN_BY_SLUG, BUSINESS_RIGHTS, SYSTEM_RIGHTS, type RightDef, type RightValue } from "../../server/authz/catalog.ts";
import {
  effectiveValues,
  explainAll,
  explainRight,
  isEditable,
  mayAssignRole,
  maxValue,
  rankOf,
  isOwner,
  valueWithin,
  type MemberAccess,
  type RoleLite,
} from "../../server/authz/effective.ts";
import { BUILTIN_ROLES } from "../../server/authz/roles.ts";

const def = (slug: string): RightDef => {
  const d = BUILTIN_BY_SLUG.get(slug);
  if (!d) throw new Error(`no right ${slug}`);
  return d;
};
const role = (slug: string): RoleLite => {
  const r = BUILTIN_ROLES.find((x) => x.slug === slug);
  if (!r) throw new Error(`no role ${slug}`);
  return { slug: r.slug, weight: r.weight, defaults: r.defaults };
};
const access = (opts: { full?: boolean; tenantRoles?: string[]; unitRole?: string | RoleLite | null; overrides?: Record<string, RightValue> }): MemberAccess => ({
  hasFullAccess: opts.full ?? false,
  tenantRoles: (opts.tenantRoles ?? []).map(role),
  unit:
    opts.unitRole === null || opts.unitRole === undefined
      ? null
      : { role: typeof opts.unitRole === "string" ? role(opts.unitRole) : opts.unitRole, overrides: opts.overrides ?? {}, status: "ACTIVE" },
});

describe("explainRight precedence", () => {
  it("should give full access the type's all-access value even over an override", () => {
    const a = access({ full: true, unitRole: "worker", overrides: { billing_access: false, last_days_count: 3, master_id: 5 } });
    expect(explainRight(def("billing_access"), a)).toEqual({ slug: "billing_access", value: true, source: "full_access", role: null });
    expect(explainRight(def("last_days_count"), a).value).toBe(-1);
    expect(explainRight(def("master_id"), a).value).toBe(0);
  });

  it("should prefer the member's override over the role default", () => {
    const a = access({ unitRole: "worker", overrides: { timetable_access: false, billing_access: true } });
    expect(explainRight(def("timetable_access"), a)).toEqual({ slug: "timetable_access", value: false, source: "override", role: "worker" });
    expect(explainRight(def("billing_access"), a)).toMatchObject({ value: true, source: "override" });
  });

  it("should fall back to the unit role's default, then to the catalog default", () => {
    const a = access({ unitRole: "worker" });
    expect(explainRight(def("timetable_access"), a)).toEqual({ slug: "timetable_access", value: true, source: "role", role: "worker" });
    expect(explainRight(def("billing_access"), a)).toEqual({ slug: "billing_access", value: false, source: "catalog", role: null });
    expect(explainRight(def("master_id"), a)).toMatchObject({ value: null, source: "catalog" });
  });

  it("should give an owner role at the unit every value at its all-access level", () => {
    const a = access({ unitRole: "owner", overrides: { billing_access: false } });
    expect(explainRight(def("billing_access"), a)).toMatchObject({ value: true, source: "owner", role: "owner" });
  });

  it("should report no_unit_access with the no-access value when the member is not at the unit", () => {
    const a = access({ tenantRoles: ["manager"] });
    expect(explainRight(def("timetable_access"), a)).toEqual({ slug: "timetable_access", value: false, source: "no_unit_access", role: null });
    expect(explainRight(def("master_id"), a).value).toBeNull();
    expect(explainRight(def("last_days_count"), a).value).toBe(0);
  });

  it("should compute tenant-scope (system) permissions from tenant roles, the most generous one winning", () => {
    const members = SYSTEM_RIGHTS.find((r) => r.slug === "members.invite")!;
    const roles = SYSTEM_RIGHTS.find((r) => r.slug === "roles.manage")!;
    const a = access({ tenantRoles: ["worker", "manager"] });
    expect(explainRight(members, a)).toMatchObject({ value: true, source: "role", role: "manager" });
    expect(explainRight(roles, a)).toMatchObject({ value: false, source: "catalog" });
    expect(explainRight(roles, access({ tenantRoles: ["owner"] }))).toMatchObject({ value: true, source: "owner" });
  });

  it("should explain every right of the catalog and agree with effectiveValues", () => {
    const a = access({ tenantRoles: ["accountant"], unitRole: "accountant", overrides: { send_sms: true } });
    const catalog = [...SYSTEM_RIGHTS, ...BUSINESS_RIGHTS];
    const explained = explainAll(catalog, a);
    expect(explained.map((e) => e.slug)).toEqual(catalog.map((d) => d.slug));
    const values = effectiveValues(catalog, a);
    for (const e of explained) expect(values[e.slug]).toEqual(e.value);
    expect(values.send_sms).toBe(true);
    expect(values.finances_access).toBe(true);
    expect(values.timetable_access).toBe(false);
  });
});

describe("valueWithin per type", () => {
  it("BOOLEAN: true is within true only; false is within anything", () => {
    expect(valueWithin("BOOLEAN", true, true)).toBe(true);
    expect(valueWithin("BOOLEAN", true, false)).toBe(false);
    expect(valueWithin("BOOLEAN", false, false)).toBe(true);
    expect(valueWithin("BOOLEAN", false, true)).toBe(true);
  });

  it("INTEGER: -1 (unlimited) is the top; otherwise numeric order", () => {
    expect(valueWithin("INTEGER", 5, -1)).toBe(true);
    expect(valueWithin("INTEGER", -1, -1)).toBe(true);
    expect(valueWithin("INTEGER", -1, 30)).toBe(false);
    expect(valueWithin("INTEGER", 7, 30)).toBe(true);
    expect(valueWithin("INTEGER", 31, 30)).toBe(false);
    expect(valueWithin("INTEGER", 0, 0)).toBe(true);
    expect(valueWithin("INTEGER", null, 0)).toBe(true);
  });

  it("ENTITY_ID: 0 (all) is the top, null the bottom, other ids only within themselves", () => {
    expect(valueWithin("ENTITY_ID", 12, 0)).toBe(true);
    expect(valueWithin("ENTITY_ID", 0, 0)).toBe(true);
    expect(valueWithin("ENTITY_ID", 0, 12)).toBe(false);
    expect(valueWithin("ENTITY_ID", 12, 12)).toBe(true);
    expect(valueWithin("ENTITY_ID", 13, 12)).toBe(false);
    expect(valueWithin("ENTITY_ID", null, null)).toBe(true);
    expect(valueWithin("ENTITY_ID", 12, null)).toBe(false);
  });

  it("ID_LIST: [0] (all) is the top; otherwise a subset", () => {
    expect(valueWithin("ID_LIST", [1, 2], [0])).toBe(true);
    expect(valueWithin("ID_LIST", [0], [0])).toBe(true);
    expect(valueWithin("ID_LIST", [0], [1, 2])).toBe(false);
    expect(valueWithin("ID_LIST", [1], [1, 2])).toBe(true);
    expect(valueWithin("ID_LIST", [1, 3], [1, 2])).toBe(false);
    expect(valueWithin("ID_LIST", [], [])).toBe(true);
  });

  it("maxValue returns the larger value in the type's order", () => {
    expect(maxValue("INTEGER", 5, -1)).toBe(-1);
    expect(maxValue("INTEGER", 9, 3)).toBe(9);
    expect(maxValue("BOOLEAN", true, false)).toBe(true);
    expect(maxValue("ENTITY_ID", null, 4)).toBe(4);
  });
});

describe("rank and role assignment", () => {
  it("rankOf takes the highest of tenant roles and the unit role; full access ranks as owner", () => {
    expect(rankOf(access({ tenantRoles: ["worker"], unitRole: "manager" }))).toBe(60);
    expect(rankOf(access({ tenantRoles: ["administrator"], unitRole: "worker" }))).toBe(80);
    expect(rankOf(access({ full: true }))).toBe(100);
    expect(rankOf(access({}))).toBe(0);
    expect(isOwner(access({ tenantRoles: ["owner"] }))).toBe(true);
    expect(isOwner(access({ tenantRoles: ["administrator"], unitRole: "owner" }))).toBe(false);
  });

  it("an administrator cannot grant owner or administrator, but can grant manager and below", () => {
    expect(mayAssignRole(false, 80, role("owner"))).toBe(false);
    expect(mayAssignRole(false, 80, role("administrator"))).toBe(false);
    expect(mayAssignRole(false, 80, role("manager"))).toBe(true);
    expect(mayAssignRole(false, 80, role("client"))).toBe(true);
    // A custom role ranked above the caller's rank is refused even when its slug is harmless.
    expect(mayAssignRole(false, 60, { slug: "head", weight: 70 })).toBe(false);
  });

  it("an owner may grant any role, owner included", () => {
    for (const r of BUILTIN_ROLES) expect(mayAssignRole(true, 100, role(r.slug))).toBe(true);
  });
});

describe("isEditable (seed 000's is_editable)", () => {
  it("is false when the caller holds no access to the right", () => {
    expect(isEditable(def("billing_access"), false, false)).toBe(false);
    expect(isEditable(def("last_days_count"), 0, 0)).toBe(false);
    expect(isEditable(def("master_id"), null, null)).toBe(false);
  });

  it("is true when the target's current value is within the caller's", () => {
    expect(isEditable(def("billing_access"), true, false)).toBe(true);
    expect(isEditable(def("billing_access"), true, true)).toBe(true);
    expect(isEditable(def("last_days_count"), 30, 7)).toBe(true);
    expect(isEditable(def("master_id"), 0, 12)).toBe(true);
  });

  it("is false when the target already holds more than the caller", () => {
    expect(isEditable(def("last_days_count"), 30, -1)).toBe(false);
    expect(isEditable(def("master_id"), 12, 0)).toBe(false);
  });
});

describe("an invitation to a unit grants nothing until accepted", () => {
  it("should give no access and no rank for an INVITED unit row", () => {
    const invited: MemberAccess = { hasFullAccess: false, tenantRoles: [], unit: { role: role("manager"), overrides: { billing_access: true }, status: "INVITED" } };
    expect(explainRight(def("timetable_access"), invited)).toMatchObject({ value: false, source: "no_unit_access" });
    expect(explainRight(def("billing_access"), invited)).toMatchObject({ value: false, source: "no_unit_access" });
    expect(rankOf(invited)).toBe(0);
  });
});
