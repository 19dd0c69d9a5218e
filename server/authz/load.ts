/**
 * Loading what the pure functions in effective.ts need: the tenant's catalog (built-in rights plus the tenant's own)
 * and a member's access at a unit. Queries are scoped by tenant id, always.
 */
import type { Db, Tx } from "../db/client.ts";
import type { RightDef, RightValue } from "./catalog.ts";
import { tenantModel } from "./tenant-model.ts";
import type { MemberAccess, RoleLite } from "./effective.ts";

type Reader = Db | Tx;

export const toValues = (json: unknown): Record<string, RightValue> =>
  json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, RightValue>) : {};

export const toRoleLite = (r: { slug: string; weight: number; defaults: unknown }): RoleLite => ({
  slug: r.slug,
  weight: r.weight,
  defaults: toValues(r.defaults),
});

/**
 * Built-in rights followed by the tenant's own, in display order. Given an actor, from the per-process cache under
 * the tenant version its request read (tenant-model.ts); given a tenant id, read now.
 */
export async function loadCatalog(db: Reader, tenant: number | { tenantId: number; accessVersion?: number | null }): Promise<RightDef[]> {
  const model = typeof tenant === "number" ? await tenantModel(db, tenant) : await tenantModel(db, tenant.tenantId, tenant.accessVersion);
  return [...model.catalog];
}

const ROLE_SELECT = { slug: true, weight: true, defaults: true } as const;

/** A membership's access at one unit (unit null = tenant level only). Null when the membership is not in the tenant. */
export async function loadMemberAccess(
  db: Reader,
  tenantId: number,
  membershipId: number,
  unitId: number | null,
): Promise<MemberAccess | null> {
  const m = await db.membership.findFirst({
    where: { id: membershipId, tenantId },
    select: {
      hasFullAccess: true,
      roles: { select: { role: { select: ROLE_SELECT } } },
      // unitId -1 matches nothing: one query shape whether or not a unit is asked for.
      unitAccess: { where: { unitId: unitId ?? -1 }, select: { overrides: true, status: true, role: { select: ROLE_SELECT } } },
    },
  });
  if (!m) return null;
  const ua = m.unitAccess[0];
  return {
    hasFullAccess: m.hasFullAccess,
    tenantRoles: m.roles.map((r) => toRoleLite(r.role)),
    unit: ua ? { role: toRoleLite(ua.role), overrides: toValues(ua.overrides), status: ua.status } : null,
  };
}
