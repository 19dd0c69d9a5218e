/**
 * Many members at once, in a handful of set-based statements (the factories sign each one up, ~50 ms apiece, so a
 * 10,000-member tenant would take minutes). The rows are what the services write; the mix is meant to exercise
 * every branch of the effective-rights rules at a location: invitations not yet accepted, overrides (including an
 * explicit null), full-access members, and members whose unit role is a custom one.
 */
import { Prisma } from "../../server/db/generated/client.ts";
import type { Db } from "../../server/db/client.ts";
import type { TestTenant } from "./factories.ts";
import { uniqueId } from "./factories.ts";

export type BulkOptions = {
  count: number;
  /** The location every member gets access to (none: tenant members only). */
  unitId?: number;
  /** Unit and tenant role slugs, cycled through by member number. Default: worker. */
  roles?: readonly string[];
  /** Unit role slugs at `unitId`, cycled the same way. Default: `roles`. */
  unitRoles?: readonly string[];
  /** Every n-th member (n > 0) has full access, is invited only, has overrides, has a phone and a display name. */
  fullAccessEvery?: number;
  invitedEvery?: number;
  overridesEvery?: number;
  /** Every n-th member is a client user (MemberKind CLIENT). */
  clientEvery?: number;
  /** Every n-th member's email is not verified (pending verification). */
  unverifiedEvery?: number;
  /** Every n-th member is suspended. */
  suspendedEvery?: number;
};

const OVERRIDES = [
  { timetable_access: true, master_id: 7, last_days_count: 30 },
  { send_sms: false, settings_access: true, master_id: null },
  { users_access: true, stat_access: true, position_id: 0 },
];

/** Adds `count` members to `tenant`; returns how many memberships were created. */
export async function bulkMembers(db: Db, tenant: TestTenant, o: BulkOptions): Promise<number> {
  const roles = o.roles ?? ["worker"];
  const unitRoles = o.unitRoles ?? roles;
  const every = (n: number | undefined) => (n && n > 0 ? n : 0);
  const label = `bulk-${uniqueId()}`;
  const overrides = JSON.stringify(OVERRIDES);
  const unitInsert = o.unitId
    ? Prisma.sql`, ua AS (
        INSERT INTO "UnitAccess" ("tenantId", "membershipId", "unitId", "roleId", "status", "overrides", "information", "position", "updatedAt")
        SELECT ${tenant.id}, m.id, ${o.unitId}, r.id,
               (CASE WHEN ${every(o.invitedEvery)} > 0 AND m.g % ${every(o.invitedEvery) || 1} = 0 THEN 'INVITED' ELSE 'ACTIVE' END)::"UnitAccessStatus",
               CASE WHEN ${every(o.overridesEvery)} > 0 AND m.g % ${every(o.overridesEvery) || 1} = 0
                    THEN (${overrides}::jsonb) -> (m.g % 3)::int ELSE '{}'::jsonb END,
               CASE WHEN m.g % 4 = 0 THEN 'note ' || m.g END, CASE WHEN m.g % 5 = 0 THEN 'position ' || m.g END, now()
          FROM mg m JOIN "Role" r ON r."tenantId" = ${tenant.id} AND r.slug = (${unitRoles}::text[])[1 + m.g % ${unitRoles.length}]
        RETURNING 1)`
    : Prisma.empty;
  const rows = await db.$queryRaw<{ n: number }[]>`
    WITH src AS (
      SELECT g FROM generate_series(1, ${o.count}::int) g
    ), u AS (
      INSERT INTO "User" ("email", "firstName", "lastName", "displayName", "phone", "emailVerifiedAt", "passwordHash", "updatedAt")
      SELECT ${label} || '-' || g || '@bulk.test', 'First' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'Last' || g END,
             CASE WHEN g % 11 = 0 THEN 'Shown ' || g END, CASE WHEN g % 3 = 0 THEN '+1555' || lpad(g::text, 7, '0') END,
             CASE WHEN ${every(o.unverifiedEvery)} > 0 AND g % ${every(o.unverifiedEvery) || 1} = 0 THEN NULL ELSE now() END, NULL, now()
        FROM src
      RETURNING id, split_part(split_part(email, '-', 3), '@', 1)::int AS g
    ), m AS (
      INSERT INTO "Membership" ("tenantId", "userId", "status", "kind", "hasFullAccess", "updatedAt")
      SELECT ${tenant.id}, u.id,
             (CASE WHEN ${every(o.suspendedEvery)} > 0 AND u.g % ${every(o.suspendedEvery) || 1} = 0 THEN 'SUSPENDED' ELSE 'ACTIVE' END)::"MembershipStatus",
             (CASE WHEN ${every(o.clientEvery)} > 0 AND u.g % ${every(o.clientEvery) || 1} = 0 THEN 'CLIENT' ELSE 'MEMBER' END)::"MemberKind",
             ${every(o.fullAccessEvery)} > 0 AND u.g % ${every(o.fullAccessEvery) || 1} = 0, now()
        FROM u
      RETURNING id, "userId"
    ), mg AS (
      SELECT m.id, u.g FROM m JOIN u ON u.id = m."userId"
    ), mr AS (
      INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId")
      SELECT m.id, r.id, ${tenant.id}
        FROM mg m JOIN "Role" r ON r."tenantId" = ${tenant.id} AND r.slug = (${roles}::text[])[1 + m.g % ${roles.length}]
      RETURNING 1
    )${unitInsert}
    SELECT count(*)::int AS n FROM m`;
  return rows[0]!.n;
}
