/**
 * Effective permissions, their explanation, and the grant ceiling: pure functions over data, no database.
 *
 * Effective value of a right for a member at a unit (ARCHITECTURE.md §2):
 *   full access → the type's all-access value; else the member's override at the unit; else the unit role's
 *   default; else the catalog default. Tenant-scope rights (the console's system permissions) come from the
 *   member's tenant roles instead: owner → all-access, else the most generous default among the roles.
 * The grant ceiling (seed 000's `is_editable`): a caller may set a value only up to what it holds itself there.
 */
import { TYPE_VALUES, type RightDef, type RightType, type RightValue } from "./catalog.ts";
import { OWNER_ROLE } from "./roles.ts";

export type RoleLite = { slug: string; weight: number; defaults: Record<string, RightValue> };
export type UnitGrant = { role: RoleLite; overrides: Record<string, RightValue>; status: "ACTIVE" | "INVITED" };
export type MemberAccess = { hasFullAccess: boolean; tenantRoles: readonly RoleLite[]; unit: UnitGrant | null };

export type ValueSource = "full_access" | "owner" | "override" | "role" | "catalog" | "no_unit_access";
export type Explained = { slug: string; value: RightValue; source: ValueSource; role: string | null };

/** a ≤ b in the type's order: granting `a` gives nothing `b` does not already give. */
export function valueWithin(type: RightType, a: RightValue, b: RightValue): boolean {
  switch (type) {
    case "BOOLEAN":
      return a !== true || b === true;
    case "INTEGER":
      if (b === -1) return true;
      if (a === -1) return false;
      return typeof a === "number" && typeof b === "number" ? a <= b : a === null || a === 0;
    case "ENTITY_ID":
      return a === null || b === 0 || (a !== 0 && a === b);
    case "ID_LIST": {
      const aa = Array.isArray(a) ? a : [];
      const bb = Array.isArray(b) ? b : [];
      if (bb.includes(0)) return true;
      return !aa.includes(0) && aa.every((x) => bb.includes(x));
    }
  }
}

/** The larger of two values in the type's order (how several tenant roles combine). */
export function maxValue(type: RightType, a: RightValue, b: RightValue): RightValue {
  return valueWithin(type, a, b) ? b : a;
}

export const isNoAccess = (type: RightType, v: RightValue) =>
  v === null || v === false || (v === 0 && type === "INTEGER") || (Array.isArray(v) && v.length === 0);

function has(obj: Record<string, RightValue>, slug: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, slug) && obj[slug] !== undefined;
}

/** Explains one right's effective value for a member at a unit (or at tenant level for TENANT-scope rights). */
export function explainRight(def: RightDef, access: MemberAccess): Explained {
  const all = TYPE_VALUES[def.type].allAccess;
  if (access.hasFullAccess) return { slug: def.slug, value: all, source: "full_access", role: null };
  if (def.scope === "TENANT") {
    if (access.tenantRoles.some((r) => r.slug === OWNER_ROLE)) return { slug: def.slug, value: all, source: "owner", role: OWNER_ROLE };
    let best: Explained | null = null;
    for (const role of access.tenantRoles) {
      if (!has(role.defaults, def.slug)) continue;
      const v = role.defaults[def.slug] ?? null;
      if (!best || !valueWithin(def.type, v, best.value)) best = { slug: def.slug, value: v, source: "role", role: role.slug };
    }
    return best ?? { slug: def.slug, value: def.defaultValue, source: "catalog", role: null };
  }
  // An invitation to a unit grants nothing until it is accepted.
  const unit = access.unit?.status === "ACTIVE" ? access.unit : null;
  if (!unit) return { slug: def.slug, value: TYPE_VALUES[def.type].noAccess, source: "no_unit_access", role: null };
  if (unit.role.slug === OWNER_ROLE) return { slug: def.slug, value: all, source: "owner", role: OWNER_ROLE };
  if (has(unit.overrides, def.slug)) return { slug: def.slug, value: unit.overrides[def.slug] ?? null, source: "override", role: unit.role.slug };
  if (has(unit.role.defaults, def.slug)) return { slug: def.slug, value: unit.role.defaults[def.slug] ?? null, source: "role", role: unit.role.slug };
  return { slug: def.slug, value: def.defaultValue, source: "catalog", role: null };
}

/** Every right of the catalog, explained. */
export function explainAll(catalog: readonly RightDef[], access: MemberAccess): Explained[] {
  return catalog.map((def) => explainRight(def, access));
}

/** Effective values as a map { slug: value }. */
export function effectiveValues(catalog: readonly RightDef[], access: MemberAccess): Record<string, RightValue> {
  const out: Record<string, RightValue> = {};
  for (const e of explainAll(catalog, access)) out[e.slug] = e.value;
  return out;
}

/** The caller's rank: the highest weight among its tenant roles and its role at the unit; full access ranks as owner. */
export function rankOf(access: MemberAccess, ownerWeight = 100): number {
  if (access.hasFullAccess) return ownerWeight;
  const unitWeight = access.unit?.status === "ACTIVE" ? access.unit.role.weight : 0;
  const weights = [...access.tenantRoles.map((r) => r.weight), unitWeight];
  return Math.max(0, ...weights);
}

export const isOwner = (access: MemberAccess) => access.tenantRoles.some((r) => r.slug === OWNER_ROLE);

/**
 * Whether a caller of rank `callerRank` may give role `role` to someone: owners may give any role; everyone else only
 * roles strictly below their own rank (an administrator never makes an owner or a peer).
 */
export function mayAssignRole(callerIsOwner: boolean, callerRank: number, role: { slug: string; weight: number }): boolean {
  if (callerIsOwner) return true;
  return role.slug !== OWNER_ROLE && role.weight < callerRank;
}

/**
 * Seed 000's `is_editable` for one right: the caller may change it for the target only when the caller holds more
 * than "no access" for it and the target's current value is already within the caller's own.
 */
export function isEditable(def: RightDef, callerValue: RightValue, targetValue: RightValue): boolean {
  if (isNoAccess(def.type, callerValue)) return false;
  return valueWithin(def.type, targetValue, callerValue);
}
