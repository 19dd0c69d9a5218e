/**
 * The tenant's overview: how many active members, pending invitations, open join requests and units there are, and
 * the last audit events. Each count is read only when the viewer holds the permission of the page it links to, so a
 * worker learns nothing the member list or pending page would refuse them; the events need `audit.read`.
 *
 * At most two statements: the visible counts as subselects of one, and the events through the audit list's.
 */
import type { Actor } from "../../authz/actor.ts";
import type { SystemPermission } from "../../authz/catalog.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { listAuditEvents } from "../audit/list-audit-events.ts";
import type { TTenantOverview } from "./tenants.schema.ts";

export const OVERVIEW_RECENT_EVENTS = 10;

type Counts = TTenantOverview["counts"];

/** Counts and recent activity of the actor's tenant, limited to what the actor may read. */
export async function getTenantOverview(db: Db, actor: Actor): Promise<TTenantOverview> {
  const t = actor.tenantId;
  const can = (p: SystemPermission) => actor.permissions.has(p);
  const now = new Date().toISOString();
  const subselects: { key: keyof Counts; allowed: boolean; sql: Prisma.Sql }[] = [
    { key: "activeMembers", allowed: can("members.read"), sql: Prisma.sql`SELECT count(*) FROM "Membership" WHERE "tenantId" = ${t} AND "status" = 'ACTIVE'` },
    {
      key: "pendingInvitations", allowed: can("members.invite"),
      // An invitation past its expiry is expired even before the sweep marks it so.
      sql: Prisma.sql`SELECT count(*) FROM "Invitation" WHERE "tenantId" = ${t} AND "status" = 'PENDING' AND "expiresAt" > ${now}::timestamp(3)`,
    },
    { key: "openRequests", allowed: can("requests.manage"), sql: Prisma.sql`SELECT count(*) FROM "JoinRequest" WHERE "tenantId" = ${t} AND "status" = 'PENDING'` },
    // The units page lists units to those who may read members.
    { key: "units", allowed: can("members.read"), sql: Prisma.sql`SELECT count(*) FROM "Unit" WHERE "tenantId" = ${t} AND "archivedAt" IS NULL` },
  ];
  const shown = (key: keyof Counts) => {
    const s = subselects.find((x) => x.key === key)!;
    return s.allowed ? Prisma.sql`(${s.sql})::int` : Prisma.sql`NULL::int`;
  };
  const [rows, recent] = await Promise.all([
    subselects.some((s) => s.allowed)
      ? db.$queryRaw<Counts[]>`SELECT ${shown("activeMembers")} AS "activeMembers", ${shown("pendingInvitations")} AS "pendingInvitations",
          ${shown("openRequests")} AS "openRequests", ${shown("units")} AS "units"`
      : Promise.resolve([]),
    can("audit.read") ? listAuditEvents(db, actor, { limit: OVERVIEW_RECENT_EVENTS }) : Promise.resolve(null),
  ]);
  const none: Counts = { activeMembers: null, pendingInvitations: null, openRequests: null, units: null };
  const counts = rows[0] ? { ...none, ...rows[0] } : none;
  return { counts, recent: recent?.items ?? null };
}
