/** Batch targets of copy/remove: unique unit ids, every one a live unit of the actor's tenant (else nothing is done). */
import type { Actor } from "../../authz/actor.ts";
import type { Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";

export function uniqueUnitIds(links: ReadonlyArray<{ unitId: number }>): number[] {
  const seen = new Set<number>();
  links.forEach((l, i) => {
    if (seen.has(l.unitId)) {
      const path = `links[${i}].unitId`;
      throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${path}: unit ${l.unitId} is listed twice`, issues: [{ path, message: "is listed twice" }] });
    }
    seen.add(l.unitId);
  });
  return [...seen];
}

export async function findTargetUnits(tx: Tx, actor: Actor, unitIds: number[], kind?: "LOCATION" | "SUBSIDIARY" | "PROJECT") {
  const units = await tx.unit.findMany({
    where: { tenantId: actor.tenantId, id: { in: unitIds }, archivedAt: null, ...(kind ? { kind } : {}) },
    select: { id: true },
  });
  const found = new Set(units.map((u) => u.id));
  const missing = unitIds.find((id) => !found.has(id));
  if (missing !== undefined) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `Unit ${missing} not found.` });
  return units;
}
