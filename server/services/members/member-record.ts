/**
 * Shared reading and rank rules for the member use cases: one Prisma select (lists), one statement that reads a whole
 * member (memberRowSql: user, second factor, roles and unit access as JSON, where Prisma's include issued a query per
 * relation, and one more per relation that came back empty), one mapper to the TMember DTO, one tenant-scoped lookup
 * (a foreign id or email is the same NOT_FOUND as a missing one), and the "may act on" rule.
 */
import { Prisma } from "../../db/generated/client.ts";
import type { Actor } from "../../authz/actor.ts";
import { callerAccess } from "../../authz/caller.ts";
import { isOwner, mayAssignRole, rankOf, type MemberAccess } from "../../authz/effective.ts";
import { toRoleLite } from "../../authz/load.ts";
import type { Db, Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lockOwnersThenSql } from "./guards.ts";
import type { TMember, TMemberRef, TMemberSummary } from "./members.schema.ts";

type Reader = Db | Tx;

const USER_SUMMARY = {
  id: true, email: true, firstName: true, lastName: true, displayName: true, phone: true, lastLoginAt: true, emailVerifiedAt: true,
  twoFactor: { select: { enabledAt: true } },
} as const;
const ROLES = { select: { role: { select: { slug: true, title: true, weight: true, defaults: true } } } } as const;

export const MEMBER_SUMMARY_SELECT = {
  id: true, tenantId: true, status: true, kind: true, hasFullAccess: true, createdAt: true,
  user: { select: USER_SUMMARY },
  roles: ROLES,
} as const;

export const MEMBER_SELECT = {
  ...MEMBER_SUMMARY_SELECT,
  user: { select: { ...USER_SUMMARY, language: true, emailVerifiedAt: true, avatar: true } },
  unitAccess: {
    orderBy: { unitId: "asc" },
    select: { status: true, role: { select: { slug: true } }, unit: { select: { id: true, name: true, kind: true, archivedAt: true } } },
  },
} as const;

type RoleRow = { role: { id?: number; slug: string; title: string; weight: number; defaults: unknown } };
type SummaryRow = {
  id: number; tenantId: number; status: "ACTIVE" | "SUSPENDED"; kind: "MEMBER" | "CLIENT"; hasFullAccess: boolean; createdAt: Date;
  user: {
    id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null; phone: string | null; lastLoginAt: Date | null;
    twoFactor: { enabledAt: Date | null } | null; emailVerifiedAt: Date | null;
  };
  roles: RoleRow[];
};
export type MemberRow = SummaryRow & {
  user: SummaryRow["user"] & { language: string; emailVerifiedAt: Date | null; avatar: unknown };
  unitAccess: { status: "ACTIVE" | "INVITED"; role: { slug: string }; unit: { id: number; name: string; kind: "LOCATION" | "SUBSIDIARY" | "PROJECT"; archivedAt: Date | null } }[];
};

/** Tenant roles, highest rank first (ties by slug), so lists and the wire show them in a stable order. */
const roleSlugs = (roles: RoleRow[]) =>
  [...roles].sort((a, b) => b.role.weight - a.role.weight || a.role.slug.localeCompare(b.role.slug)).map((r) => r.role.slug);

export function toMemberSummary(row: SummaryRow): TMemberSummary {
  return {
    id: row.id, userId: row.user.id, tenantId: row.tenantId, email: row.user.email,
    firstName: row.user.firstName, lastName: row.user.lastName, displayName: row.user.displayName, phone: row.user.phone,
    status: row.status, kind: row.kind, roles: roleSlugs(row.roles), hasFullAccess: row.hasFullAccess,
    lastLoginAt: row.user.lastLoginAt, createdAt: row.createdAt, twoFactor: !!row.user.twoFactor?.enabledAt,
    // An ACTIVE membership of an unverified address is "pending verification": it gives no access yet.
    pendingVerification: row.status === "ACTIVE" && row.user.emailVerifiedAt === null,
  };
}

export function toMember(row: MemberRow): TMember {
  return {
    ...toMemberSummary(row),
    language: row.user.language,
    verified: row.user.emailVerifiedAt !== null,
    avatar: row.user.avatar ?? null,
    units: row.unitAccess.map((a) => ({
      unitId: a.unit.id, name: a.unit.name, kind: a.unit.kind, role: a.role.slug, status: a.status, archived: a.unit.archivedAt !== null,
    })),
  };
}

export const memberNotFound = () => new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Member not found." });

/** The condition (on alias `m`, joined user `u`) for the membership `ref` names. */
export const memberRefSql = (ref: TMemberRef) =>
  "id" in ref ? Prisma.sql`m."id" = ${ref.id}` : Prisma.sql`m."userId" = (SELECT x."id" FROM "User" x WHERE x."email" = ${ref.email})`;

/**
 * The whole member (MemberRow's shape, as one JSON value) of the tenant's membership matching `where` (a condition
 * on alias `m`): a scalar subquery, NULL when there is none, to nest in a larger statement.
 */
export const memberRowSql = (tenantId: number, where: Prisma.Sql) => Prisma.sql`(
  SELECT json_build_object(
    'id', m."id", 'tenantId', m."tenantId", 'status', m."status", 'kind', m."kind", 'hasFullAccess', m."hasFullAccess", 'createdAt', m."createdAt",
    'user', json_build_object(
      'id', u."id", 'email', u."email", 'firstName', u."firstName", 'lastName', u."lastName", 'displayName', u."displayName",
      'phone', u."phone", 'lastLoginAt', u."lastLoginAt", 'emailVerifiedAt', u."emailVerifiedAt", 'language', u."language", 'avatar', u."avatar",
      'twoFactor', (SELECT json_build_object('enabledAt', f."enabledAt") FROM "TwoFactor" f WHERE f."userId" = u."id")),
    'roles', COALESCE((
      SELECT json_agg(json_build_object('role', json_build_object('id', r."id", 'slug', r."slug", 'title', r."title", 'weight', r."weight", 'defaults', r."defaults")))
        FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r."id" = mr."roleId"
       WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m."id"), '[]'::json),
    'unitAccess', COALESCE((
      SELECT json_agg(json_build_object('status', a."status", 'role', json_build_object('slug', ar."slug"),
               'unit', json_build_object('id', un."id", 'name', un."name", 'kind', un."kind", 'archivedAt', un."archivedAt")) ORDER BY a."unitId")
        FROM "UnitAccess" a
        JOIN "Role" ar ON ar."tenantId" = a."tenantId" AND ar."id" = a."roleId"
        JOIN "Unit" un ON un."tenantId" = a."tenantId" AND un."id" = a."unitId"
       WHERE a."tenantId" = m."tenantId" AND a."membershipId" = m."id"), '[]'::json))
    FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
   WHERE m."tenantId" = ${tenantId} AND ${where})`;

type JsonMemberRow = Omit<MemberRow, "createdAt" | "user" | "unitAccess"> & {
  createdAt: string;
  user: Omit<MemberRow["user"], "lastLoginAt" | "emailVerifiedAt" | "twoFactor"> & { lastLoginAt: string | null; emailVerifiedAt: string | null; twoFactor: { enabledAt: string | null } | null };
  unitAccess: Array<Omit<MemberRow["unitAccess"][number], "unit"> & { unit: Omit<MemberRow["unitAccess"][number]["unit"], "archivedAt"> & { archivedAt: string | null } }>;
};

// JSON carries timestamp(3) columns as UTC wall-clock text without a zone.
const utc = (s: string) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
const utcOrNull = (s: string | null) => (s == null ? null : utc(s));

/** A member as memberRowSql returns it (parsed JSON, or its text), with its timestamps as Dates. */
export function parseMemberRow(value: unknown): MemberRow | null {
  if (value == null) return null;
  const j = (typeof value === "string" ? JSON.parse(value) : value) as JsonMemberRow;
  return {
    ...j,
    createdAt: utc(j.createdAt),
    user: {
      ...j.user,
      lastLoginAt: utcOrNull(j.user.lastLoginAt),
      emailVerifiedAt: utcOrNull(j.user.emailVerifiedAt),
      twoFactor: j.user.twoFactor ? { enabledAt: utcOrNull(j.user.twoFactor.enabledAt) } : null,
    },
    unitAccess: j.unitAccess.map((a) => ({ ...a, unit: { ...a.unit, archivedAt: utcOrNull(a.unit.archivedAt) } })),
  };
}

/** The membership `ref` names inside the actor's tenant, or NOT_FOUND (a foreign one is indistinguishable). One statement. */
export async function findMemberRow(db: Reader, tenantId: number, ref: TMemberRef): Promise<MemberRow> {
  const rows = await db.$queryRaw<{ row: unknown }[]>`SELECT ${memberRowSql(tenantId, memberRefSql(ref))} AS "row"`;
  const row = parseMemberRow(rows[0]?.row);
  if (!row) throw memberNotFound();
  return row;
}

/**
 * For a path that may demote, suspend or remove the member: locks the tenant's owners and then the member (the order
 * every path takes, guards.ts) and reads the member, in one statement. The read is as of the statement's start: the
 * owner count that decides the last-owner rule must come from a later statement (the write's `lastOwnerSql`). A
 * member removed while we waited for the locks is NOT_FOUND, as a missing one.
 */
export async function lockAndFindMemberRow(tx: Tx, tenantId: number, ref: TMemberRef): Promise<MemberRow> {
  const rows = await tx.$queryRaw<{ row: unknown; locked: number[] }[]>`
    WITH locked AS MATERIALIZED (${lockOwnersThenSql(tenantId, memberRefSql(ref))})
    SELECT ${memberRowSql(tenantId, memberRefSql(ref))} AS "row", ARRAY(SELECT l."id" FROM locked l) AS "locked"`;
  const row = parseMemberRow(rows[0]?.row);
  if (!row || !rows[0]!.locked.map(Number).includes(row.id)) throw memberNotFound();
  return row;
}

/** The member's tenant-level access, as the pure rank functions see it. */
export const accessOf = (row: Pick<SummaryRow, "hasFullAccess" | "roles">): MemberAccess => ({
  hasFullAccess: row.hasFullAccess,
  tenantRoles: row.roles.map((r) => toRoleLite(r.role)),
  unit: null,
});

export type Authority = {
  access: MemberAccess;
  rank: number;
  owner: boolean;
  /** Owners may act on anyone; everyone else only on members ranked strictly below them. */
  outranks(target: Pick<SummaryRow, "hasFullAccess" | "roles">): boolean;
  mayAssign(role: { slug: string; weight: number }): boolean;
};

/** The caller's authority (its tenant-level access, which the actor carries: no query for a loaded actor). */
export async function authorityOf(db: Reader, actor: Actor): Promise<Authority> {
  return authorityFrom(await callerAccess(db, actor, null));
}

export function authorityFrom(access: MemberAccess): Authority {
  const rank = rankOf(access);
  const owner = isOwner(access);
  return {
    access, rank, owner,
    outranks: (target) => owner || rankOf(accessOf(target)) < rank,
    mayAssign: (role) => mayAssignRole(owner, rank, role),
  };
}

export const accessDenied = (userMessage = "Access denied.") => new AppError(AppErrorCode.FORBIDDEN, { userMessage });

/** The audit snapshot of a member: enough to know who it was and what they held. */
export function snapshot(m: TMember) {
  return {
    userId: m.userId, email: m.email, firstName: m.firstName, lastName: m.lastName, status: m.status, kind: m.kind,
    roles: m.roles, hasFullAccess: m.hasFullAccess, units: m.units.map((u) => ({ unitId: u.unitId, role: u.role, status: u.status })),
  };
}
