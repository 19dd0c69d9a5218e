/**
 * Every ACTIVE member of the actor's tenant, members and client users alike (seed 003 `GET /tenants/members/active`,
 * which has no paging in the seed: the whole list, ordered by membership id; `page` is Roster's optional window). A
 * member whose email is not verified yet is "pending verification", not active: they can see nothing of the tenant
 * (server/authz/actor.ts), so they are left out.
 *
 * One statement for the rows and the exact total, carrying only what seed 003's Member shows: the person, the
 * membership's role slugs, and the ids of the live projects and subsidiaries where the member's access is accepted.
 * (The old path read whole members with every unit through Prisma's relation queries: 13 statements, ~0.8 s of CPU
 * at 10,000 members.)
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";

export type ActiveMemberRow = {
  membershipId: number;
  userId: number;
  tenantId: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  language: string;
  lastLoginAt: Date | null;
  verified: boolean;
  status: "ACTIVE";
  hasFullAccess: boolean;
  /** Tenant role slugs, highest rank first (ties by slug), as member-record.ts orders them everywhere. */
  roles: string[];
  projectIds: number[];
  subsidiaryIds: number[];
  avatar: unknown;
};

export type ActiveMembers = { total: number; members: ActiveMemberRow[] };

type Raw = Omit<ActiveMemberRow, "roles" | "lastLoginAt" | "membershipId"> & {
  total: number; membershipId: number | null; lastLoginAt: Date | string | null; roleSlugs: string[]; roleWeights: number[];
};

function sortedRoles(slugs: string[], weights: number[]): string[] {
  if (slugs.length < 2) return slugs;
  return slugs
    .map((slug, i) => ({ slug, weight: weights[i] ?? 0 }))
    .sort((a, b) => b.weight - a.weight || a.slug.localeCompare(b.slug))
    .map((r) => r.slug);
}

const unitIdsOf = (kind: "PROJECT" | "SUBSIDIARY", tenantId: number) => Prisma.sql`ARRAY(
  SELECT ua."unitId" FROM "UnitAccess" ua JOIN "Unit" un ON un.id = ua."unitId" AND un."tenantId" = ${tenantId}
   WHERE ua."tenantId" = ${tenantId} AND ua."membershipId" = mt.id AND ua.status = 'ACTIVE' AND un."archivedAt" IS NULL AND un.kind = ${kind}::"UnitKind"
   ORDER BY ua."unitId")`;

type Input = { page?: { page: number; count: number } | null };

/** The statement (exported for EXPLAIN in tests). */
export function activeMembersSql(tenantId: number, input: Input): Prisma.Sql {
  const window = input.page ? Prisma.sql`LIMIT ${input.page.count}::int OFFSET ${(input.page.page - 1) * input.page.count}::bigint` : Prisma.empty;
  return Prisma.sql`
    WITH matched AS MATERIALIZED (
      SELECT m.id, m."userId", m."hasFullAccess"
        FROM "Membership" m JOIN "User" u ON u.id = m."userId"
       WHERE m."tenantId" = ${tenantId} AND m.status = 'ACTIVE' AND u."emailVerifiedAt" IS NOT NULL
    )
    SELECT (SELECT count(*)::int FROM matched) AS total, p.*
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
        SELECT mt.id AS "membershipId", u.id AS "userId", ${tenantId}::int AS "tenantId", u.email, u."firstName", u."lastName",
               u."displayName", u.language, u."lastLoginAt", u."emailVerifiedAt" IS NOT NULL AS verified, 'ACTIVE' AS status,
               mt."hasFullAccess", u.avatar,
               COALESCE(rl.slugs, '{}') AS "roleSlugs", COALESCE(rl.weights, '{}') AS "roleWeights",
               ${unitIdsOf("PROJECT", tenantId)} AS "projectIds",
               ${unitIdsOf("SUBSIDIARY", tenantId)} AS "subsidiaryIds"
          FROM matched mt JOIN "User" u ON u.id = mt."userId"
          -- By tenant and membership id (the MembershipRole primary key's leading columns), then the role by its key.
          LEFT JOIN LATERAL (
            SELECT array_agg(r.slug ORDER BY r.weight DESC, r.id) AS slugs, array_agg(r.weight ORDER BY r.weight DESC, r.id) AS weights
              FROM "MembershipRole" mr JOIN "Role" r ON r.id = mr."roleId" AND r."tenantId" = ${tenantId}
             WHERE mr."tenantId" = ${tenantId} AND mr."membershipId" = mt.id
          ) rl ON TRUE
         ORDER BY mt.id
         ${window}
      ) p ON TRUE
     ORDER BY p."membershipId"`;
}

export async function listActiveMembers(db: Db, actor: Actor, input: Input = {}): Promise<ActiveMembers> {
  assertCan(actor, "members.read");
  // Planned per call (server/db/client.ts PLAN_PER_CALL): a generic plan of this list was several times slower.
  const raw = await db.$queryRaw<Raw[]>`/* plan per call */ ${activeMembersSql(actor.tenantId, input)}`;
  const members: ActiveMemberRow[] = [];
  for (const r of raw) {
    if (r.membershipId === null) continue;
    const { total: _total, roleSlugs, roleWeights, lastLoginAt, ...rest } = r;
    members.push({
      ...rest, membershipId: r.membershipId, status: "ACTIVE", roles: sortedRoles(roleSlugs, roleWeights),
      lastLoginAt: lastLoginAt === null ? null : lastLoginAt instanceof Date ? lastLoginAt : new Date(lastLoginAt),
    });
  }
  return { total: raw[0]?.total ?? 0, members };
}
