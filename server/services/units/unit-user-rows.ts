/**
 * A location's users for the REST lists (seed 000 #1 and #11) in ONE statement: the unit check, the last-owner flag,
 * the exact total and the (optionally paged) rows, ordered by membership id like listUnitUsers. The wire needs no
 * tenant-scope rights and, for #11, only fourteen built-in unit rights, so instead of loading the catalog and
 * explaining every right of every member (the old path: ~17 statements and ~0.5 s of CPU at 10,000 members) the
 * effective value of each wanted right is computed by the statement itself, by the rules of
 * server/authz/effective.ts `explainRight` for UNIT rights:
 *   full access → the type's all-access value; no ACTIVE access at the unit → its no-access value; owner role at the
 *   unit → all-access; else the override, else the unit role's default, else the catalog default.
 * `jsonb -> key` is SQL NULL when the key is missing or the column is not an object, exactly where toValues() sees
 * `{}`; an explicit JSON null stays a value, as `has()` counts it. tests/integration/rest-budgets.test.ts compares the
 * output with listUnitUsers' on a tenant with custom roles, overrides and full-access members.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { BUILTIN_BY_SLUG, TYPE_VALUES, type RightDef, type RightValue } from "../../authz/catalog.ts";
import { OWNER_ROLE } from "../../authz/roles.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { notFound } from "../access/scope.ts";

export type UnitUserPage = { page: number; count: number };

/** One user of the location as the statement returns it; `access` only when asked for. */
export type UnitUserRow = {
  membershipId: number;
  userId: number;
  email: string;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  information: string | null;
  isApproved: boolean;
  isNonDeletable: boolean;
  /** Effective values of the rights asked for, by slug (booleans reduced to `=== true` when asked as flags). */
  access: Record<string, RightValue> | null;
};

export type UnitUserRows = { total: number; rows: UnitUserRow[] };

export type UnitUserRowsInput = {
  unitId: number;
  kind: "LOCATION" | "SUBSIDIARY" | "PROJECT";
  /** true: accepted (ACTIVE access or full access); false: invited, not yet accepted. */
  approved?: boolean;
  page?: UnitUserPage | null;
  /**
   * Built-in unit rights whose effective values to return. `flag` reduces a value to `value === true` in SQL (the
   * deprecated #11 `access` object's booleans); `value` returns it as it is.
   */
  rights?: ReadonlyArray<{ slug: string; as: "flag" | "value" }>;
};

const json = (v: RightValue) => Prisma.sql`${JSON.stringify(v)}::jsonb`;

/** The effective value of one UNIT right for the row `mt` (matched access) joined to its unit role `r`. */
function effectiveSql(def: RightDef, as: "flag" | "value"): Prisma.Sql {
  const { allAccess, noAccess } = TYPE_VALUES[def.type];
  const slug = Prisma.sql`${def.slug}::text`;
  const chosen = Prisma.sql`COALESCE(mt.overrides -> ${slug}, r.defaults -> ${slug}, ${json(def.defaultValue)})`;
  if (as === "flag") {
    const allTrue = allAccess === true;
    return Prisma.sql`(mt."hasFullAccess" AND ${allTrue}) OR (NOT mt."hasFullAccess" AND mt.status IS NOT DISTINCT FROM 'ACTIVE'
      AND CASE WHEN r.slug = ${OWNER_ROLE} THEN ${allTrue} ELSE ${chosen} = 'true'::jsonb END)`;
  }
  return Prisma.sql`CASE WHEN mt."hasFullAccess" THEN ${json(allAccess)}
    WHEN mt.status IS DISTINCT FROM 'ACTIVE' THEN ${json(noAccess)}
    WHEN r.slug = ${OWNER_ROLE} THEN ${json(allAccess)}
    ELSE ${chosen} END`;
}

type Raw = Omit<UnitUserRow, "access" | "membershipId"> & { total: number; unitFound: boolean; membershipId: number | null; access?: unknown[] | null };

type Right = { slug: string; as: "flag" | "value"; def: RightDef };

function rightsOf(input: UnitUserRowsInput): Right[] {
  return (input.rights ?? []).map((r) => {
    const def = BUILTIN_BY_SLUG.get(r.slug);
    if (!def || def.scope !== "UNIT") throw new Error(`listUnitUserRows: ${r.slug} is not a built-in unit right`);
    return { ...r, def };
  });
}

/** The statement (exported for EXPLAIN in tests). */
export function unitUserRowsSql(tenantId: number, input: UnitUserRowsInput, rights: Right[] = rightsOf(input)): Prisma.Sql {
  const approved = input.approved === undefined ? Prisma.empty
    : Prisma.sql`AND (m."hasFullAccess" OR ua.status = 'ACTIVE') = ${input.approved}`;
  // A full-access member is always approved.
  const approvedFull = input.approved === false ? Prisma.sql`AND FALSE` : Prisma.empty;
  const window = input.page ? Prisma.sql`LIMIT ${input.page.count}::int OFFSET ${(input.page.page - 1) * input.page.count}::bigint` : Prisma.empty;
  // One JSON array per row, in the order asked for (a column per right would need raw aliases).
  const accessColumns = rights.length
    ? Prisma.sql`, json_build_array(${Prisma.join(rights.map((r) => effectiveSql(r.def, r.as)), ", ")}) AS access`
    : Prisma.empty;
  // Rows carry only what the page needs; the total counts the materialised match (ids and a few flags), not users.
  return Prisma.sql`
    WITH u AS (
      SELECT id FROM "Unit" WHERE id = ${input.unitId} AND "tenantId" = ${tenantId} AND "archivedAt" IS NULL AND kind = ${input.kind}::"UnitKind"
    ), owners AS (
      -- Memberships are joined by their primary key (tenantId, id), from the row they are reached from (composite
      -- foreign keys), never by a separate tenant condition on Membership: that lets a planner without statistics scan
      -- the whole tenant per row. Driven from the owner role's memberships (MembershipRole.roleId index), whatever the
      -- planner's statistics say.
      SELECT CASE WHEN count(*) = 1 THEN min(m.id) END AS "membershipId"
        FROM "MembershipRole" mr
        JOIN "Membership" m ON m."tenantId" = mr."tenantId" AND m.id = mr."membershipId" AND m.status = 'ACTIVE'
       WHERE mr."tenantId" = ${tenantId} AND mr."roleId" = (SELECT o.id FROM "Role" o WHERE o."tenantId" = ${tenantId} AND o.slug = ${OWNER_ROLE})
    ), matched AS MATERIALIZED (
      -- Members with a row at the unit (its index), plus full-access members without one (who reach every unit).
      SELECT m.id, m."userId", m."hasFullAccess", ua.status::text AS status, ua.overrides, ua."roleId", ua.information
        FROM "UnitAccess" ua
        JOIN "Membership" m ON m."tenantId" = ua."tenantId" AND m.id = ua."membershipId" AND m.status = 'ACTIVE'
       WHERE ua."tenantId" = ${tenantId} AND ua."unitId" = (SELECT id FROM u) ${approved}
      UNION ALL
      SELECT m.id, m."userId", m."hasFullAccess", NULL, NULL, NULL, NULL
        FROM "Membership" m
       WHERE m."tenantId" = ${tenantId} AND m.status = 'ACTIVE' AND m."hasFullAccess" AND EXISTS (SELECT 1 FROM u)
         AND NOT EXISTS (SELECT 1 FROM "UnitAccess" x WHERE x."tenantId" = m."tenantId" AND x."membershipId" = m.id AND x."unitId" = ${input.unitId})
         ${approvedFull}
    )
    SELECT (SELECT count(*)::int FROM matched) AS total, EXISTS (SELECT 1 FROM u) AS "unitFound", p.*
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
        SELECT mt.id AS "membershipId", us.id AS "userId", us.email, us.phone, us."firstName", us."lastName", us."displayName",
               mt.information, (mt."hasFullAccess" OR mt.status IS NOT DISTINCT FROM 'ACTIVE') AS "isApproved",
               mt.id IS NOT DISTINCT FROM (SELECT o."membershipId" FROM owners o) AS "isNonDeletable"
               ${accessColumns}
          FROM matched mt
          JOIN "User" us ON us.id = mt."userId"
          LEFT JOIN "Role" r ON r."tenantId" = ${tenantId} AND r.id = mt."roleId"
         ORDER BY mt.id
         ${window}
      ) p ON TRUE
     ORDER BY p."membershipId"`;
}

export async function listUnitUserRows(db: Db, actor: Actor, input: UnitUserRowsInput): Promise<UnitUserRows> {
  assertCan(actor, "members.read");
  const rights = rightsOf(input);
  // Planned per call (server/db/client.ts PLAN_PER_CALL): a list of every row gains nothing from a cached plan.
  const raw = await db.$queryRaw<Raw[]>`/* plan per call */ ${unitUserRowsSql(actor.tenantId, input, rights)}`;
  const head = raw[0];
  if (!head?.unitFound) throw notFound("Unit");
  const rows: UnitUserRow[] = [];
  for (const r of raw) {
    if (r.membershipId === null) continue;
    let access: Record<string, RightValue> | null = null;
    if (rights.length) {
      access = {};
      const values = (r.access ?? []) as RightValue[];
      rights.forEach((right, i) => (access![right.slug] = values[i] ?? null));
    }
    rows.push({
      membershipId: r.membershipId, userId: r.userId, email: r.email, phone: r.phone, firstName: r.firstName, lastName: r.lastName,
      displayName: r.displayName, information: r.information, isApproved: r.isApproved, isNonDeletable: r.isNonDeletable, access,
    });
  }
  return { total: head.total, rows };
}
