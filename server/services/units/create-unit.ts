/** Creates a location, subsidiary or project in the actor's tenant. Full-access members reach it at once. */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { ZCreateUnitInput, type TCreateUnitInput, type TUnit } from "./units.schema.ts";

export async function createUnit(db: Db, actor: Actor, input: TCreateUnitInput): Promise<TUnit> {
  assertCan(actor, "units.manage");
  const data = parseInput(ZCreateUnitInput, input);
  return db.$transaction(async (tx) => {
    const unit = await tx.unit.create({ data: { tenantId: actor.tenantId, name: data.name, kind: data.kind }, select: { id: true, name: true, kind: true } });
    await recordAuditEvent(tx, { actor, tenantId: actor.tenantId, action: "unit.created", targetType: "unit", targetId: unit.id, after: unit });
    return unit;
  });
}
