/**
 * What copy and remove across units need, in two statements whatever the number of units (not a use case itself):
 * the locks (the tenant's owners, then the member: the order every path takes, members/guards.ts), then one read,
 * started once the locks are held, of the source unit, the member with its tenant roles and its access at the source
 * and at every target, whether it is the last owner, which targets are live units of the tenant, and what the caller
 * itself holds at every target. The ceilings are then computed in memory, per unit, from that one read; role
 * definitions come from the tenant's cached model.
 */
import type { Actor } from "../../authz/actor.ts";
import type { RightValue } from "../../authz/catalog.ts";
import { callerAccess } from "../../authz/caller.ts";
import type { MemberAccess, RoleLite, UnitGrant } from "../../authz/effective.ts";
import { toValues } from "../../authz/load.ts";
import { tenantModel, type TenantModel, type TenantRole } from "../../authz/tenant-model.ts";
import type { Db, Tx } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { intArray, intKeys } from "../../db/sql.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerSql, lockOwnersThenSql } from "../members/guards.ts";

type UnitKind = "LOCATION" | "SUBSIDIARY" | "PROJECT";
type Status = "ACTIVE" | "INVITED";

export type AccessRow = { id: number; unitId: number; roleId: number; status: Status; overrides: Record<string, RightValue> };
export type SourceRow = AccessRow & { staffId: number | null; position: string | null; information: string | null };

export type BatchSnapshot = {
  source: { id: number; name: string; kind: UnitKind } | null;
  member: { id: number; userId: number; hasFullAccess: boolean; status: string; roleIds: number[] } | null;
  lastOwner: boolean;
  /** The member's access at the source unit. */
  src: SourceRow | null;
  /** The targets that are live units of the tenant (of `kind`, when given). */
  found: Set<number>;
  /** The member's access at the targets, by unit id. */
  existing: Map<number, AccessRow>;
  /** The caller's own membership (null: not a member, or removed meanwhile) with its access at the targets. */
  caller: { hasFullAccess: boolean; roleIds: number[]; units: Map<number, AccessRow> } | null;
};

/** Locks the tenant's owners and then the membership of `userId` (one statement). */
export async function lockMemberOfUser(tx: Tx, tenantId: number, userId: number): Promise<void> {
  await tx.$queryRaw`${lockOwnersThenSql(tenantId, Prisma.sql`m."userId" = ${userId}`)}`;
}

/**
 * The access rows of membership `membershipId` at the targets, as groups of rows with the same grant: one JSON
 * object per (role, status, overrides) with the rows' ids and unit ids as arrays. A member's 1,000 rows are a
 * handful of grants, and PostgreSQL builds a JSON object per row at about 5 µs (5 ms for 1,000), where arrays of
 * integers cost next to nothing. The member's rows come from its (tenantId, membershipId) index range and are
 * matched against the targets as jsonb keys (a binary search): `= ANY(targets)` compares each row with all 1,000
 * targets, probing each target costs 1,000 index descents even for a member with one row, and a join's plan
 * depended on guesses (one generic plan scanned every target for each of the member's rows, 200 ms).
 */
const accessGroupsSql = (tenantId: number, membershipId: Prisma.Sql) => Prisma.sql`COALESCE((
  SELECT json_agg(json_build_object('roleId', x."roleId", 'status', x."status", 'overrides', x."overrides", 'ids', x.ids, 'unitIds', x.unit_ids))
    FROM (SELECT a."roleId", a."status", a."overrides", array_agg(a."id") AS ids, array_agg(a."unitId") AS unit_ids
            FROM "UnitAccess" a
           WHERE a."tenantId" = ${tenantId} AND a."membershipId" = ${membershipId} AND (SELECT "keys" FROM targets) ? a."unitId"::text
           GROUP BY a."roleId", a."status", a."overrides") x), '[]'::json)`;

type AccessGroup = { roleId: number; status: Status; overrides: unknown; ids: number[]; unitIds: number[] };

function accessRows(groups: readonly AccessGroup[]): Map<number, AccessRow> {
  const rows = new Map<number, AccessRow>();
  for (const g of groups) {
    // Shared by the group's rows: readers never change a row's overrides (they copy them to derive new ones).
    const overrides = toValues(g.overrides);
    for (let i = 0; i < g.ids.length; i++) {
      rows.set(g.unitIds[i]!, { id: g.ids[i]!, unitId: g.unitIds[i]!, roleId: g.roleId, status: g.status, overrides });
    }
  }
  return rows;
}

type Raw = {
  source: BatchSnapshot["source"];
  member: BatchSnapshot["member"];
  lastOwner: boolean | null;
  src: (AccessRow & { staffId: number | null; position: string | null; information: string | null }) | null;
  missing: number[];
  existing: AccessGroup[];
  caller: { hasFullAccess: boolean; roleIds: number[]; units: AccessGroup[] } | null;
};

/** The targets that are not in `missing` (the read names the few missing ones rather than the 1,000 found). */
function missingFrom(unitIds: readonly number[], missing: readonly number[]): Set<number> {
  if (missing.length === 0) return new Set(unitIds);
  const gone = new Set(missing.map(Number));
  return new Set(unitIds.filter((id) => !gone.has(id)));
}

/** The one read (call with the locks held, so it sees every change committed before them). */
export async function readBatch(
  tx: Db | Tx, actor: Actor, q: { sourceUnitId: number; userId: number; unitIds: number[]; kind?: UnitKind },
): Promise<BatchSnapshot> {
  const t = actor.tenantId;
  const kind = q.kind ? Prisma.sql`AND u."kind" = ${q.kind}::"UnitKind"` : Prisma.empty;
  const callerId = actor.kind !== "system" && actor.membershipId !== null ? actor.membershipId : -1;
  // The targets are one array, read from a CTE rather than bound as a constant, so no plan estimates its 1,000
  // elements one by one (3 to 10 ms of planning per call), and the same ids as jsonb keys for accessGroupsSql. The
  // read answers with the few targets that are not live units (counted first on the primary key: the list is only
  // built when some are missing) and the access rows grouped by grant, not with 1,000 ids and 1,000 JSON objects.
  const [raw] = await tx.$queryRaw<Raw[]>`
    WITH mem AS MATERIALIZED (
      SELECT m."id", m."userId", m."hasFullAccess", m."status" FROM "Membership" m WHERE m."tenantId" = ${t} AND m."userId" = ${q.userId}
    ), targets AS MATERIALIZED (
      SELECT ${intArray(q.unitIds)} AS "ids", ${intKeys(q.unitIds)} AS "keys"
    )
    SELECT
      (SELECT json_build_object('id', u."id", 'name', u."name", 'kind', u."kind") FROM "Unit" u
        WHERE u."id" = ${q.sourceUnitId} AND u."tenantId" = ${t} AND u."archivedAt" IS NULL ${kind}) AS "source",
      (SELECT json_build_object('id', mem."id", 'userId', mem."userId", 'hasFullAccess', mem."hasFullAccess", 'status', mem."status",
              'roleIds', COALESCE((SELECT json_agg(mr."roleId") FROM "MembershipRole" mr WHERE mr."tenantId" = ${t} AND mr."membershipId" = mem."id"), '[]'::json))
         FROM mem) AS "member",
      ${lastOwnerSql(t, Prisma.sql`(SELECT mem."id" FROM mem)`)} AS "lastOwner",
      (SELECT json_build_object('id', a."id", 'unitId', a."unitId", 'roleId', a."roleId", 'status', a."status", 'overrides', a."overrides",
              'staffId', a."staffId", 'position', a."position", 'information', a."information")
         FROM "UnitAccess" a JOIN mem ON a."membershipId" = mem."id" WHERE a."tenantId" = ${t} AND a."unitId" = ${q.sourceUnitId}) AS "src",
      CASE WHEN (SELECT count(*) FROM "Unit" u WHERE u."tenantId" = ${t} AND u."id" = ANY((SELECT "ids" FROM targets)::int[]) AND u."archivedAt" IS NULL ${kind})
                = cardinality((SELECT "ids" FROM targets)) THEN '{}'::int[]
           ELSE ARRAY(SELECT g."id" FROM unnest((SELECT "ids" FROM targets)::int[]) AS g("id") WHERE NOT EXISTS (
                  SELECT 1 FROM "Unit" u WHERE u."tenantId" = ${t} AND u."id" = g."id" AND u."archivedAt" IS NULL ${kind})) END AS "missing",
      ${accessGroupsSql(t, Prisma.sql`(SELECT mem."id" FROM mem)`)} AS "existing",
      (SELECT json_build_object('hasFullAccess', c."hasFullAccess",
              'roleIds', COALESCE((SELECT json_agg(mr."roleId") FROM "MembershipRole" mr WHERE mr."tenantId" = ${t} AND mr."membershipId" = c."id"), '[]'::json),
              'units', ${accessGroupsSql(t, Prisma.sql`c."id"`)})
         FROM "Membership" c WHERE c."id" = ${callerId} AND c."tenantId" = ${t}) AS "caller"`;
  const r = raw!;
  const norm = <T extends { overrides: unknown }>(a: T) => ({ ...a, overrides: toValues(a.overrides) });
  return {
    source: r.source,
    member: r.member,
    lastOwner: r.lastOwner === true,
    src: r.src ? norm(r.src) : null,
    found: missingFrom(q.unitIds, r.missing),
    existing: accessRows(r.existing),
    caller: r.caller ? { ...r.caller, units: accessRows(r.caller.units) } : null,
  };
}

/**
 * Role definitions by id from the tenant's model at the request's version; a role the model does not know (created
 * after the request's snapshot) reloads it once.
 */
export function roleResolver(tx: Db | Tx, tenantId: number, model: TenantModel) {
  let current = model;
  let reloaded = false;
  return async (ids: readonly number[]): Promise<(id: number) => TenantRole> => {
    if (!reloaded && ids.some((id) => !current.roleById.has(id))) {
      current = await tenantModel(tx, tenantId);
      reloaded = true;
    }
    return (id) => {
      const role = current.roleById.get(id);
      if (!role) throw new Error(`role ${id} of tenant ${tenantId} is not in its model`);
      return role;
    };
  };
}

export const roleLite = (r: TenantRole): RoleLite => ({ slug: r.slug, weight: r.weight, defaults: r.defaults });

export const grantOf = (row: AccessRow, role: (id: number) => TenantRole): UnitGrant => ({
  role: roleLite(role(row.roleId)), overrides: row.overrides, status: row.status,
});

/**
 * What the caller holds at `unitId`, as callerAccess would load it: the system and a partner acting alone need no
 * row (callerAccess answers them without a query); a member from the read's caller row. A caller whose membership
 * is gone was removed mid-request: FORBIDDEN.
 */
export async function callerAccessAt(tx: Db | Tx, actor: Actor, snap: BatchSnapshot, unitId: number, role: (id: number) => TenantRole): Promise<MemberAccess> {
  if (actor.kind === "system" || actor.membershipId === null) return callerAccess(tx, actor, unitId);
  if (!snap.caller) throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied." });
  const row = snap.caller.units.get(unitId);
  return {
    hasFullAccess: snap.caller.hasFullAccess,
    tenantRoles: snap.caller.roleIds.map((id) => roleLite(role(id))),
    unit: row ? grantOf(row, role) : null,
  };
}

/** Every role id the snapshot names (to resolve them in one go). */
export const roleIdsOf = (snap: BatchSnapshot) => [
  ...(snap.member?.roleIds ?? []), ...(snap.src ? [snap.src.roleId] : []), ...[...snap.existing.values()].map((a) => a.roleId),
  ...(snap.caller ? [...snap.caller.roleIds, ...[...snap.caller.units.values()].map((a) => a.roleId)] : []),
];

/** A key of an access row's grant (or of none): rows with equal keys give the same access. */
export const accessRowKey = (row: AccessRow | undefined) => (row ? `${row.roleId}|${row.status}|${JSON.stringify(row.overrides)}` : "-");

/** A key of what the caller holds at `unitId`: units with equal keys have the same ceiling. */
export const callerGrantKey = (actor: Actor, snap: BatchSnapshot, unitId: number) =>
  actor.kind === "system" || actor.membershipId === null ? "*" : accessRowKey(snap.caller?.units.get(unitId));
