/** The tenants the signed-in user belongs to, for the tenant switcher and the landing redirect. */
import type { Db } from "../../db/client.ts";
import type { TMyTenant } from "./tenants.schema.ts";

export async function listMyTenants(db: Db, userId: number): Promise<TMyTenant[]> {
  const rows = await db.membership.findMany({
    where: { userId, tenant: { status: "ACTIVE" } },
    orderBy: { tenant: { name: "asc" } },
    select: {
      status: true,
      kind: true,
      tenant: { select: { id: true, slug: true, name: true } },
      roles: { select: { role: { select: { slug: true } } } },
    },
  });
  return rows.map((m) => ({ ...m.tenant, status: m.status, kind: m.kind, roles: m.roles.map((r) => r.role.slug) }));
}
