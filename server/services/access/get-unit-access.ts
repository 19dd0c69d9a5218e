/**
 * A member's role, staff id and effective permission values at a unit, each with its source and `isEditable` for the
 * caller. One read (batch.ts: the unit, the member and its access there, the caller's access there); the catalog and
 * roles from the tenant's cached model.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { MemberAccess } from "../../authz/effective.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { ZGetUnitAccessInput, type TGetUnitAccessInput, type TUnitAccess } from "./access.schema.ts";
import { callerAccessAt, grantOf, readBatch, roleIdsOf, roleLite, roleResolver } from "./batch.ts";
import { ceilingOf, describeAccess, notFound } from "./scope.ts";

export async function getUnitAccess(db: Db, actor: Actor, input: TGetUnitAccessInput): Promise<TUnitAccess> {
  assertCan(actor, "members.read");
  const data = parseInput(ZGetUnitAccessInput, input);
  const [model, snap] = await Promise.all([
    tenantModel(db, actor.tenantId, actor.accessVersion),
    readBatch(db, actor, { sourceUnitId: data.unitId, userId: data.userId, unitIds: [data.unitId], kind: data.kind }),
  ]);
  const unit = snap.source;
  if (!unit) throw notFound("Unit");
  const member = snap.member;
  if (!member) throw notFound("User");
  const role = await roleResolver(db, actor.tenantId, model)(roleIdsOf(snap));
  const row = snap.src;
  const target: MemberAccess = { hasFullAccess: member.hasFullAccess, tenantRoles: member.roleIds.map((id) => roleLite(role(id))), unit: row ? grantOf(row, role) : null };
  if (data.requireAccess && !row && !target.hasFullAccess) throw notFound("User");
  const ceiling = ceilingOf(await callerAccessAt(db, actor, snap, unit.id, role), model.catalog);
  return describeAccess(actor, [...model.catalog], { unitId: unit.id, userId: member.userId, membershipId: member.id }, target, row, ceiling);
}
