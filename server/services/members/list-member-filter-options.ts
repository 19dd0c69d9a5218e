/** The roles and units the members list can filter by (the tenant's own, units not archived). */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import type { TMemberFilterOptions } from "./members.schema.ts";

export async function listMemberFilterOptions(db: Db, actor: Actor): Promise<TMemberFilterOptions> {
  assertCan(actor, "members.read");
  const [roles, units] = await Promise.all([
    db.role.findMany({ where: { tenantId: actor.tenantId }, orderBy: [{ weight: "desc" }, { slug: "asc" }], select: { slug: true, title: true } }),
    db.unit.findMany({ where: { tenantId: actor.tenantId, archivedAt: null }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true, kind: true } }),
  ]);
  return { roles, units };
}
