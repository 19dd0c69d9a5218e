/**
 * The last-owner rule: a tenant always keeps at least one active owner. Checked inside the transaction of every path
 * that could remove, demote, suspend or strip an owner, with the owner rows locked (FOR UPDATE) so two concurrent
 * demotions cannot both pass. It takes precedence over every other refusal: the caller learns 409 first.
 *
 * The check needs two statements, whatever the path: one that takes the locks and one, started after they are held,
 * that reads the owners. Under READ COMMITTED a statement sees the rows as they were when it started, also when it
 * waited for a lock meanwhile (a Membership row that was locked but not updated is not re-checked, and its joined
 * MembershipRole rows are the old ones), so an owner demoted by a transaction we waited for would still count, and
 * two owners demoting each other or themselves at once could both pass (issue 9). Every demotion takes these locks
 * first, so once we hold them a later statement sees each committed demotion. The write paths fold the fresh read
 * into the statement that writes (`lastOwnerSql` in its WHERE), so the rule costs no round trip of its own.
 */
import { Prisma } from "../../db/generated/client.ts";
import type { Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { OWNER_ROLE } from "../../authz/roles.ts";

/** Whether membership `m` is an active owner (as SQL, for the alias `m`). */
const isActiveOwner = Prisma.sql`(m."status" = 'ACTIVE' AND EXISTS (
  SELECT 1 FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r."id" = mr."roleId"
   WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m."id" AND r."slug" = ${OWNER_ROLE}))`;

/**
 * Ids of the memberships holding the tenant's owner role (found from the role through MembershipRole's roleId
 * index, so the owner checks cost the owners, not the tenant's whole membership). The `plan per call` comment keeps
 * every statement holding it unnamed (server/db/client.ts statementNames): PostgreSQL's generic plan for these
 * walks the tenant's memberships (8 ms at 100,000 members) where the plan made for the call's values looks up the
 * owners by id.
 */
const ownerRoleHolders = (tenantId: number) => Prisma.sql`/* plan per call */ ARRAY(
  SELECT mr."membershipId" FROM "Role" r JOIN "MembershipRole" mr ON mr."tenantId" = r."tenantId" AND mr."roleId" = r."id"
   WHERE r."tenantId" = ${tenantId} AND r."slug" = ${OWNER_ROLE})`;

/** The tenant's active owner membership ids, as a subquery. */
export const activeOwnersSql = (tenantId: number) =>
  Prisma.sql`SELECT m."id" FROM "Membership" m WHERE m."tenantId" = ${tenantId} AND m."id" = ANY (${ownerRoleHolders(tenantId)}) AND m."status" = 'ACTIVE'`;

/** True when `membershipId` is the tenant's only active owner (a boolean expression; fresh as of its statement). */
export const lastOwnerSql = (tenantId: number, membershipId: number | Prisma.Sql) => Prisma.sql`
  (SELECT count(*) = 1 AND bool_and(o."id" = ${membershipId}) FROM (${activeOwnersSql(tenantId)}) o)`;

/**
 * Locks the tenant's active owners and then the membership `target` names (a condition on alias `m`), in that
 * order, in one statement: owners in id order, the target last unless it is an owner itself. Every path takes the
 * same order (owners, then the member), so two of them never wait on each other in a circle. The rows are returned
 * as locked (a row deleted while we waited is missing).
 */
export const lockOwnersThenSql = (tenantId: number, target: Prisma.Sql) => Prisma.sql`
  SELECT m."id", m."userId", ${isActiveOwner} AS "owner" FROM "Membership" m
   WHERE m."tenantId" = ${tenantId} AND (m."id" = ANY (${ownerRoleHolders(tenantId)}) OR ${target})
   ORDER BY 3 DESC, m."id"
   FOR UPDATE OF m`;

/**
 * Ids of the tenant's active owner memberships, locked for the rest of the transaction; the list comes from a second
 * read after the locks are held (see above).
 */
export async function lockActiveOwners(tx: Tx, tenantId: number): Promise<number[]> {
  await tx.$queryRaw<{ id: number }[]>`${lockOwnersThenSql(tenantId, Prisma.sql`FALSE`)}`;
  return freshActiveOwners(tx, tenantId);
}

/** The active owners as of now (call with the locks held). */
export async function freshActiveOwners(tx: Tx, tenantId: number): Promise<number[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`${activeOwnersSql(tenantId)} ORDER BY m."id"`;
  return rows.map((r) => Number(r.id));
}

export const lastOwnerError = () =>
  new AppError(AppErrorCode.CONFLICT, {
    userMessage: "This is the tenant's last owner. Make another member owner first.",
  });

/** Throws CONFLICT when `membershipId` is the only active owner of the tenant. */
export async function assertNotLastOwner(tx: Tx, tenantId: number, membershipId: number): Promise<void> {
  const owners = await lockActiveOwners(tx, tenantId);
  if (owners.length === 1 && owners[0] === membershipId) throw lastOwnerError();
}

/**
 * Runs the in-memory refusals of a path whose locks are held but whose owner read is still to come (folded into its
 * write): when one refuses and the change could strip an owner, the last-owner rule is checked first (a fresh read,
 * only on this refusing path), so a caller still learns 409 before 403 or 422.
 */
export async function refusingLastOwnerFirst<T>(
  tx: Tx, tenantId: number, membershipId: number, couldStripOwner: boolean, checks: () => T | Promise<T>,
): Promise<T> {
  try {
    return await checks();
  } catch (e) {
    if (couldStripOwner) {
      const owners = await freshActiveOwners(tx, tenantId);
      if (owners.length === 1 && owners[0] === membershipId) throw lastOwnerError();
    }
    throw e;
  }
}
