/**
 * Shared lookups and checks of the access use cases (not a use case itself): every id from input is resolved inside
 * the actor's tenant (a foreign id is the same NOT_FOUND as a missing one), and the grant ceiling is computed once
 * per unit from what the caller itself holds there (callerAccess).
 */
import type { Actor } from "../../authz/actor.ts";
import { can } from "../../authz/actor.ts";
import type { RightDef, RightValue } from "../../authz/catalog.ts";
import { callerAccess } from "../../authz/caller.ts";
import { effectiveValues, explainAll, isEditable, isOwner, rankOf, type MemberAccess } from "../../authz/effective.ts";
import { loadMemberAccess, toRoleLite, toValues } from "../../authz/load.ts";
import type { Db, Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lockActiveOwners } from "../members/guards.ts";
import type { TUnitAccess } from "./access.schema.ts";

type Reader = Db | Tx;
type UnitKind = "LOCATION" | "SUBSIDIARY" | "PROJECT";

export const notFound = (what: string) => new AppError(AppErrorCode.NOT_FOUND, { userMessage: `${what} not found.` });

/** FORBIDDEN with the wire's message, naming the permission or role the caller cannot grant. */
export const denied = (missing?: string) =>
  new AppError(AppErrorCode.FORBIDDEN, { userMessage: missing ? `Access denied. Missing permission: ${missing}` : "Access denied." });

/** A live (not archived) unit of the actor's tenant, optionally of one kind. */
export async function findUnit(db: Reader, actor: Actor, unitId: number, kind?: UnitKind) {
  const unit = await db.unit.findFirst({
    where: { id: unitId, tenantId: actor.tenantId, archivedAt: null, ...(kind ? { kind } : {}) },
    select: { id: true, name: true, kind: true },
  });
  if (!unit) throw notFound("Unit");
  return unit;
}

/** The membership of `userId` in the actor's tenant. */
export async function findMembership(db: Reader, actor: Actor, userId: number) {
  const m = await db.membership.findUnique({
    where: { tenantId_userId: { tenantId: actor.tenantId, userId } },
    select: { id: true, userId: true, hasFullAccess: true, status: true },
  });
  if (!m) throw notFound("User");
  return m;
}

export async function findUnitAccessRow(db: Reader, actor: Actor, membershipId: number, unitId: number) {
  const row = await db.unitAccess.findFirst({
    where: { tenantId: actor.tenantId, membershipId, unitId },
    select: { id: true, roleId: true, status: true, overrides: true, staffId: true, position: true, information: true, role: { select: { slug: true, weight: true, defaults: true } } },
  });
  return row ? { ...row, overrides: toValues(row.overrides), roleLite: toRoleLite(row.role) } : null;
}

export async function loadTarget(db: Reader, actor: Actor, membershipId: number, unitId: number): Promise<MemberAccess> {
  const access = await loadMemberAccess(db, actor.tenantId, membershipId, unitId);
  if (!access) throw notFound("User");
  return access;
}

/** Rights that take a value per unit (business rights and the tenant's own unit rights). */
export const unitRights = (catalog: readonly RightDef[]) => catalog.filter((d) => d.scope === "UNIT");

export type Ceiling = {
  access: MemberAccess;
  isOwner: boolean;
  rank: number;
  values: Record<string, RightValue>;
  /** Whether the unit is within the caller's rights at all (full access, owner, or active access there). */
  reaches: boolean;
};

export async function ceilingAt(db: Reader, actor: Actor, unitId: number, catalog: readonly RightDef[]): Promise<Ceiling> {
  return ceilingOf(await callerAccess(db, actor, unitId), catalog);
}

/** The ceiling of what the caller holds at a unit (pure: the batch paths read every unit's access at once). */
export function ceilingOf(access: MemberAccess, catalog: readonly RightDef[]): Ceiling {
  const owner = isOwner(access);
  return {
    access,
    isOwner: owner,
    rank: rankOf(access),
    values: effectiveValues(catalog, access),
    reaches: access.hasFullAccess || owner || access.unit?.status === "ACTIVE",
  };
}

/** A caller may change a member only below its own rank, unless the caller is an owner. */
export const outranks = (ceiling: Ceiling, target: MemberAccess) => ceiling.isOwner || rankOf(target) < ceiling.rank;

/**
 * Locks the member's row for the rest of the transaction, so the access changes to one member (copy, remove, update)
 * run one after another: without it a copy planned from rows a concurrent removal then deleted failed with Prisma's
 * record-not-found, a 500, about one time in five (issue 9). Taken after the owner locks (isLastOwner), the order
 * every path uses, so two paths never wait on each other in a circle. The member may have been removed meanwhile:
 * then it is the same NOT_FOUND as a missing one. PGlite runs one transaction at a time, where this changes nothing.
 */
export async function lockMembership(tx: Tx, tenantId: number, membershipId: number): Promise<void> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT "id" FROM "Membership" WHERE "id" = ${membershipId} AND "tenantId" = ${tenantId} FOR UPDATE`;
  if (rows.length === 0) throw notFound("User");
}

/** Whether `membershipId` is the tenant's only active owner (owner rows locked for the transaction). */
export async function isLastOwner(tx: Tx, tenantId: number, membershipId: number): Promise<boolean> {
  const owners = await lockActiveOwners(tx, tenantId);
  return owners.length === 1 && owners[0] === membershipId;
}

/** The member's access at a unit as the admin app and seed 000 show it, with `isEditable` for the caller. */
export function describeAccess(
  actor: Actor,
  catalog: readonly RightDef[],
  ids: { unitId: number; userId: number; membershipId: number },
  target: MemberAccess,
  row: { staffId: number | null } | null,
  ceiling: Ceiling,
): TUnitAccess {
  const rights = unitRights(catalog);
  const editable = can(actor, "members.update") && ceiling.reaches && outranks(ceiling, target);
  return {
    ...ids,
    status: target.unit?.status ?? null,
    hasFullAccess: target.hasFullAccess,
    role: target.unit?.role.slug ?? null,
    staffId: row?.staffId ?? null,
    isEditable: editable,
    permissions: explainAll(rights, target).map((e, i) => {
      const def = rights[i]!;
      return {
        slug: e.slug, category: def.category, title: def.title, type: def.type, value: e.value, source: e.source,
        isEditable: editable && isEditable(def, ceiling.values[def.slug] ?? null, e.value),
      };
    }),
  };
}
