/** A member's role, staff id and effective permission values at a unit, each with its source and `isEditable` for the caller. */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { loadCatalog } from "../../authz/load.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { ZGetUnitAccessInput, type TGetUnitAccessInput, type TUnitAccess } from "./access.schema.ts";
import { ceilingAt, describeAccess, findMembership, findUnit, findUnitAccessRow, loadTarget, notFound } from "./scope.ts";

export async function getUnitAccess(db: Db, actor: Actor, input: TGetUnitAccessInput): Promise<TUnitAccess> {
  assertCan(actor, "members.read");
  const data = parseInput(ZGetUnitAccessInput, input);
  const unit = await findUnit(db, actor, data.unitId, data.kind);
  const member = await findMembership(db, actor, data.userId);
  const [catalog, target, row] = await Promise.all([
    loadCatalog(db, actor),
    loadTarget(db, actor, member.id, unit.id),
    findUnitAccessRow(db, actor, member.id, unit.id),
  ]);
  if (data.requireAccess && !row && !target.hasFullAccess) throw notFound("User");
  const ceiling = await ceilingAt(db, actor, unit.id, catalog);
  return describeAccess(actor, catalog, { unitId: unit.id, userId: member.userId, membershipId: member.id }, target, row, ceiling);
}
