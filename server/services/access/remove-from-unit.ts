/** Removes a member from one unit (their UnitAccess row); never the tenant's last owner (409, checked first). */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZRemoveFromUnitInput, type TRemoveFromUnitInput } from "./access.schema.ts";
import { ceilingAt, denied, findMembership, findUnit, findUnitAccessRow, isLastOwner, loadTarget, lockMembership, notFound, outranks } from "./scope.ts";

export async function removeFromUnit(db: Db, actor: Actor, input: TRemoveFromUnitInput): Promise<{ unitId: number; userId: number }> {
  const data = parseInput(ZRemoveFromUnitInput, input);
  return db.$transaction(async (tx) => {
    const unit = await findUnit(tx, actor, data.unitId, data.kind);
    const member = await findMembership(tx, actor, data.userId);
    if (await isLastOwner(tx, actor.tenantId, member.id)) throw lastOwnerError();
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.remove");
    await lockMembership(tx, actor.tenantId, member.id);
    const row = await findUnitAccessRow(tx, actor, member.id, unit.id);
    if (!row) {
      if (member.hasFullAccess) {
        throw new AppError(AppErrorCode.CONFLICT, { userMessage: "This member has full access to every unit. Remove full access first." });
      }
      throw notFound("User");
    }
    const target = await loadTarget(tx, actor, member.id, unit.id);
    const ceiling = await ceilingAt(tx, actor, unit.id, []);
    if (!ceiling.reaches || !outranks(ceiling, target)) throw denied();
    await tx.unitAccess.delete({ where: { id: row.id } });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.unit_removed", targetType: "membership", targetId: member.id,
      before: { unitId: unit.id, role: row.roleLite.slug, overrides: row.overrides, status: row.status, staffId: row.staffId },
    });
    return { unitId: unit.id, userId: member.userId };
  });
}
