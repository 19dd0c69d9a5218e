/**
 * Removes a member from one unit (their UnitAccess row); never the tenant's last owner (409, checked first).
 * The locks, one read (batch.ts), then the delete with its audit row: two statements inside the transaction.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import { auditInsert } from "../../audit/record-sql.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZRemoveFromUnitInput, type TRemoveFromUnitInput } from "./access.schema.ts";
import { callerAccessAt, grantOf, lockMemberOfUser, readBatch, roleIdsOf, roleLite, roleResolver } from "./batch.ts";
import { ceilingOf, denied, notFound, outranks } from "./scope.ts";

export async function removeFromUnit(db: Db, actor: Actor, input: TRemoveFromUnitInput): Promise<{ unitId: number; userId: number }> {
  const data = parseInput(ZRemoveFromUnitInput, input);
  const model = await tenantModel(db, actor.tenantId, actor.accessVersion);
  return db.$transaction(async (tx) => {
    await lockMemberOfUser(tx, actor.tenantId, data.userId);
    const snap = await readBatch(tx, actor, { sourceUnitId: data.unitId, userId: data.userId, unitIds: [data.unitId], kind: data.kind });
    const unit = snap.source;
    if (!unit) throw notFound("Unit");
    const member = snap.member;
    if (!member) throw notFound("User");
    if (snap.lastOwner) throw lastOwnerError();
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.remove");
    const row = snap.src;
    if (!row) {
      if (member.hasFullAccess) {
        throw new AppError(AppErrorCode.CONFLICT, { userMessage: "This member has full access to every unit. Remove full access first." });
      }
      throw notFound("User");
    }
    const role = await roleResolver(tx, actor.tenantId, model)(roleIdsOf(snap));
    const target = { hasFullAccess: member.hasFullAccess, tenantRoles: member.roleIds.map((id) => roleLite(role(id))), unit: grantOf(row, role) };
    const ceiling = ceilingOf(await callerAccessAt(tx, actor, snap, unit.id, role), []);
    if (!ceiling.reaches || !outranks(ceiling, target)) throw denied();
    const audit = auditInsert([{
      actor, tenantId: actor.tenantId, action: "member.unit_removed", targetType: "membership", targetId: member.id,
      before: { unitId: unit.id, role: role(row.roleId).slug, overrides: row.overrides, status: row.status, staffId: row.staffId },
    }]);
    await tx.$queryRaw`
      WITH del AS (DELETE FROM "UnitAccess" WHERE "id" = ${row.id} AND "tenantId" = ${actor.tenantId} RETURNING 1), audit AS (${audit})
      SELECT (SELECT count(*)::int FROM del) AS "removed"`;
    return { unitId: unit.id, userId: member.userId };
  });
}
