/** The caller's own effective values of the business rights at a unit, grouped by category (seed 000 #3). */
import type { Actor } from "../../authz/actor.ts";
import type { RightValue } from "../../authz/catalog.ts";
import { loadCatalog } from "../../authz/load.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { ZMyUnitPermissionsInput, type TMyUnitPermissionsInput } from "./access.schema.ts";
import { ceilingAt, findUnit, unitRights } from "./scope.ts";

export async function getMyUnitPermissions(db: Db, actor: Actor, input: TMyUnitPermissionsInput): Promise<Record<string, Record<string, RightValue>>> {
  // No system permission needed: every member (and integration) may read what it itself holds; the unit is still
  // resolved inside the actor's tenant, so a foreign id is NOT_FOUND.
  const data = parseInput(ZMyUnitPermissionsInput, input);
  const unit = await findUnit(db, actor, data.unitId, data.kind);
  const catalog = unitRights(await loadCatalog(db, actor));
  const ceiling = await ceilingAt(db, actor, unit.id, catalog);
  const out: Record<string, Record<string, RightValue>> = {};
  for (const def of catalog) (out[def.category] ??= {})[def.slug] = ceiling.values[def.slug] ?? null;
  return out;
}
