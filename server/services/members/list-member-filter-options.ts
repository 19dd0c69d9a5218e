/**
 * The roles and units the members list can filter by (the tenant's own, units not archived), and which roles the
 * caller may give in the list's inline role change.
 */
import { assertCan, can, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { authorityOf } from "./member-record.ts";
import type { TMemberFilterOptions } from "./members.schema.ts";

/** The members list's filter options, roles by rank. */
export async function listMemberFilterOptions(db: Db, actor: Actor): Promise<TMemberFilterOptions> {
  assertCan(actor, "members.read");
  const [roles, units, authority] = await Promise.all([
    db.role.findMany({ where: { tenantId: actor.tenantId }, orderBy: [{ weight: "desc" }, { slug: "asc" }], select: { slug: true, title: true, weight: true } }),
    db.unit.findMany({ where: { tenantId: actor.tenantId, archivedAt: null }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true, kind: true } }),
    authorityOf(db, actor),
  ]);
  const mayUpdate = can(actor, "members.update");
  return { roles: roles.map(({ slug, title, weight }) => ({ slug, title, assignable: mayUpdate && authority.mayAssign({ slug, weight }) })), units };
}
