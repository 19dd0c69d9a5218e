/**
 * Archives or restores a unit. An archived unit keeps its access rows (restoring brings everyone back) but is NOT_FOUND
 * to every access path. Conditional updates make both idempotent-safe: archiving an archived unit is a 409.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZUnitRefInput, type TUnit, type TUnitRefInput } from "./units.schema.ts";

async function setArchived(db: Db, actor: Actor, input: TUnitRefInput, archive: boolean): Promise<TUnit> {
  const data = parseInput(ZUnitRefInput, input);
  return db.$transaction(async (tx) => {
    const unit = await tx.unit.findFirst({ where: { id: data.unitId, tenantId: actor.tenantId }, select: { id: true, archivedAt: true } });
    if (!unit) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Unit not found." });
    const changed = await tx.unit.updateMany({
      where: { tenantId: actor.tenantId, id: unit.id, archivedAt: archive ? null : { not: null } },
      data: { archivedAt: archive ? new Date() : null },
    });
    if (changed.count === 0) throw new AppError(AppErrorCode.CONFLICT, { userMessage: archive ? "The unit is already archived." : "The unit is not archived." });
    await recordAuditEvent(tx, { actor, tenantId: actor.tenantId, action: archive ? "unit.archived" : "unit.restored", targetType: "unit", targetId: unit.id });
    return tx.unit.findUniqueOrThrow({ where: { tenantId_id: { tenantId: actor.tenantId, id: unit.id } }, select: { id: true, name: true, kind: true } });
  });
}

/** Archives a unit: it disappears from lists and access paths, its access rows are kept. */
export function archiveUnit(db: Db, actor: Actor, input: TUnitRefInput): Promise<TUnit> {
  assertCan(actor, "units.manage");
  return setArchived(db, actor, input, true);
}

/** Restores an archived unit with its access rows. */
export function restoreUnit(db: Db, actor: Actor, input: TUnitRefInput): Promise<TUnit> {
  assertCan(actor, "units.manage");
  return setArchived(db, actor, input, false);
}
