/** The tenant's units with how many members have access to each (archived ones on request). */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { ZListUnitsInput, type TListUnitsInput, type TUnitListItem } from "./units.schema.ts";

export async function listUnits(db: Db, actor: Actor, input: TListUnitsInput = {}): Promise<TUnitListItem[]> {
  assertCan(actor, "members.read");
  const data = parseInput(ZListUnitsInput, input);
  const units = await db.unit.findMany({
    where: { tenantId: actor.tenantId, ...(data.kind ? { kind: data.kind } : {}), ...(data.includeArchived ? {} : { archivedAt: null }) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 5000,
    select: { id: true, name: true, kind: true, archivedAt: true, _count: { select: { access: true } } },
  });
  return units.map((u) => ({ id: u.id, name: u.name, kind: u.kind, archived: u.archivedAt !== null, userCount: u._count.access }));
}
