/** Renames a unit of the actor's tenant. */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZRenameUnitInput, type TRenameUnitInput, type TUnit } from "./units.schema.ts";

export async function renameUnit(db: Db, actor: Actor, input: TRenameUnitInput): Promise<TUnit> {
  assertCan(actor, "units.manage");
  const data = parseInput(ZRenameUnitInput, input);
  return db.$transaction(async (tx) => {
    const unit = await tx.unit.findFirst({ where: { id: data.unitId, tenantId: actor.tenantId }, select: { id: true, name: true } });
    if (!unit) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Unit not found." });
    const updated = await tx.unit.update({ where: { tenantId_id: { tenantId: actor.tenantId, id: unit.id } }, data: { name: data.name }, select: { id: true, name: true, kind: true } });
    await recordAuditEvent(tx, { actor, tenantId: actor.tenantId, action: "unit.renamed", targetType: "unit", targetId: unit.id, before: { name: unit.name }, after: { name: data.name } });
    return updated;
  });
}
