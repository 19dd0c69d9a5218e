/**
 * The last-owner rule: a tenant always keeps at least one active owner. Checked inside the transaction of every path
 * that could remove, demote, suspend or strip an owner, with the owner rows locked (FOR UPDATE) so two concurrent
 * demotions cannot both pass. It takes precedence over every other refusal: the caller learns 409 first.
 */
import type { Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { OWNER_ROLE } from "../../authz/roles.ts";

/**
 * Ids of the tenant's active owner memberships, locked for the rest of the transaction. The list comes from a second
 * read after the locks are held: under READ COMMITTED the locking statement returns rows as its own start saw them
 * (a Membership row that was locked but not updated is not re-checked, and its joined MembershipRole rows are the
 * old ones), so an owner demoted by a transaction we waited for would still count, and two owners demoting each
 * other or themselves at once could both pass (issue 9). Every demotion takes these locks first, so once we hold
 * them the fresh read sees each committed demotion.
 */
export async function lockActiveOwners(tx: Tx, tenantId: number): Promise<number[]> {
  await tx.$queryRaw<{ id: number }[]>`
    SELECT m."id" FROM "Membership" m
    JOIN "MembershipRole" mr ON mr."membershipId" = m."id"
    JOIN "Role" r ON r."id" = mr."roleId"
    WHERE m."tenantId" = ${tenantId} AND m."status" = 'ACTIVE' AND r."slug" = ${OWNER_ROLE}
    ORDER BY m."id"
    FOR UPDATE OF m`;
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT m."id" FROM "Membership" m
    JOIN "MembershipRole" mr ON mr."membershipId" = m."id"
    JOIN "Role" r ON r."id" = mr."roleId"
    WHERE m."tenantId" = ${tenantId} AND m."status" = 'ACTIVE' AND r."slug" = ${OWNER_ROLE}
    ORDER BY m."id"`;
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
