/**
 * Shared reading and rank rules for the member use cases: one Prisma select, one mapper to the TMember DTO, one
 * tenant-scoped lookup (a foreign id or email is the same NOT_FOUND as a missing one), and the "may act on" rule.
 */
import type { Actor } from "../../authz/actor.ts";
import { callerAccess } from "../../authz/caller.ts";
import { isOwner, mayAssignRole, rankOf, type MemberAccess } from "../../authz/effective.ts";
import { toRoleLite } from "../../authz/load.ts";
import type { Db, Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
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

type RoleRow = { role: { slug: string; title: string; weight: number; defaults: unknown } };
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

/** The membership `ref` names inside the actor's tenant, or NOT_FOUND (a foreign one is indistinguishable). */
export async function findMemberRow(db: Reader, tenantId: number, ref: TMemberRef): Promise<MemberRow> {
  const where = "id" in ref ? { id: ref.id, tenantId } : { tenantId, user: { email: ref.email } };
  const row = await db.membership.findFirst({ where, select: MEMBER_SELECT });
  if (!row) throw memberNotFound();
  return row as MemberRow;
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

export async function authorityOf(db: Reader, actor: Actor): Promise<Authority> {
  const access = await callerAccess(db, actor, null);
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
