/**
 * The caller's ceiling for role defaults (not a use case): what the caller holds at tenant level. Role defaults apply
 * at every unit, so a caller may set a default only up to the most it holds through any of its tenant roles
 * (full access: everything); system permissions only when the caller holds them.
 */
import type { Actor } from "../../authz/actor.ts";
import { TYPE_VALUES, type RightDef, type RightValue } from "../../authz/catalog.ts";
import { callerAccess } from "../../authz/caller.ts";
import { effectiveValues, isOwner, maxValue, rankOf } from "../../authz/effective.ts";
import type { Db, Tx } from "../../db/client.ts";

export async function tenantCeiling(db: Db | Tx, actor: Actor, catalog: readonly RightDef[]) {
  const access = await callerAccess(db, actor, null);
  const values: Record<string, RightValue> = {};
  for (const def of catalog) {
    if (def.scope === "TENANT") {
      values[def.slug] = actor.permissions.has(def.slug as never) || access.hasFullAccess ? TYPE_VALUES[def.type].allAccess : TYPE_VALUES[def.type].noAccess;
      continue;
    }
    let best: RightValue = TYPE_VALUES[def.type].noAccess;
    for (const role of access.tenantRoles) {
      const v = effectiveValues([def], { hasFullAccess: access.hasFullAccess, tenantRoles: [], unit: { role, overrides: {}, status: "ACTIVE" } })[def.slug] ?? null;
      best = maxValue(def.type, best, v);
    }
    if (access.hasFullAccess) best = TYPE_VALUES[def.type].allAccess;
    values[def.slug] = best;
  }
  return { values, isOwner: isOwner(access), rank: rankOf(access) };
}
