/** Validating role defaults (not a use case): known rights, right types, and within the caller's own values. */
import type { Actor } from "../../authz/actor.ts";
import type { RightDef, RightValue } from "../../authz/catalog.ts";
import { valueWithin } from "../../authz/effective.ts";
import type { Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { denied } from "../access/scope.ts";
import { validateValues } from "../access/validate-values.ts";
import { tenantCeiling } from "./ceiling.ts";

export async function checkedDefaults(
  tx: Tx,
  actor: Actor,
  catalog: readonly RightDef[],
  items: ReadonlyArray<{ slug: string; value: unknown }>,
  current: Record<string, RightValue>,
  weight: number,
): Promise<Record<string, RightValue>> {
  const values = validateValues(catalog, items, "defaults");
  const ceiling = await tenantCeiling(tx, actor, catalog);
  // Nobody creates or edits a role ranked at or above themselves, except an owner (and never at the owner's 100).
  if (!ceiling.isOwner && weight >= ceiling.rank) {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. A role must rank below your own." });
  }
  const out = { ...current };
  for (const v of values) {
    const same = JSON.stringify(current[v.def.slug] ?? null) === JSON.stringify(v.value);
    if (!same && !valueWithin(v.def.type, v.value, ceiling.values[v.def.slug] ?? null)) throw denied(v.def.slug);
    out[v.def.slug] = v.value;
  }
  return out;
}
