/**
 * Removes a member from the tenant: the membership goes (its tenant roles and unit access cascade), the history stays
 * in the audit log as a before-snapshot. Returns the member as it was just before removal (seed 003). Refused for
 * the last owner (CONFLICT, checked first) and for a peer or superior. Removing oneself is leaving.
 *
 * Two statements inside the transaction: the locks with the member's read, then the delete with its audit row and
 * the last-owner rule folded into its WHERE (guards.ts).
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { auditInsert } from "../../audit/record-sql.ts";
import type { Db, Tx } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { parseInput } from "../parse.ts";
import { lastOwnerError, lastOwnerSql, refusingLastOwnerFirst } from "./guards.ts";
import { accessDenied, authorityOf, lockAndFindMemberRow, memberNotFound, snapshot, toMember, type MemberRow } from "./member-record.ts";
import { ZMemberRef, type TMember, type TMemberRef } from "./members.schema.ts";

/**
 * Deletes a membership and records why, in the caller's transaction, in one statement. With `guardLastOwner` the
 * delete happens only if the member is not the tenant's last owner as of this statement (the caller holds the owner
 * locks), else CONFLICT.
 */
export async function deleteMembership(
  tx: Tx, actor: Actor, row: MemberRow, action: "member.removed" | "member.left", opts: { guardLastOwner?: boolean } = {},
): Promise<TMember> {
  const member = toMember(row);
  const t = actor.tenantId;
  const allowed = opts.guardLastOwner ? Prisma.sql`NOT ${lastOwnerSql(t, row.id)}` : Prisma.sql`TRUE`;
  const audit = auditInsert([{ actor, tenantId: t, action, targetType: "membership", targetId: row.id, before: snapshot(member) }], {
    when: Prisma.sql`EXISTS (SELECT 1 FROM del)`,
  });
  const [out] = await tx.$queryRaw<{ allowed: boolean; deleted: number }[]>`
    WITH guard AS MATERIALIZED (SELECT ${allowed} AS ok),
    del AS (
      DELETE FROM "Membership" WHERE "id" = ${row.id} AND "tenantId" = ${t} AND (SELECT ok FROM guard) RETURNING "id"
    ), audit AS (${audit})
    SELECT (SELECT ok FROM guard) AS "allowed", (SELECT count(*)::int FROM del) AS "deleted", (SELECT count(*)::int FROM audit) AS "audited"`;
  if (!out!.allowed) throw lastOwnerError();
  // Removed by a concurrent call meanwhile: the same NOT_FOUND as a missing member.
  if (Number(out!.deleted) === 0) throw memberNotFound();
  return member;
}

export async function removeMember(db: Db, actor: Actor, input: TMemberRef): Promise<TMember> {
  const ref = parseInput(ZMemberRef, input);
  return db.$transaction(async (tx) => {
    const row = await lockAndFindMemberRow(tx, actor.tenantId, ref);
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks. The rule itself is checked by the delete.
    const self = row.id === actor.membershipId;
    await refusingLastOwnerFirst(tx, actor.tenantId, row.id, true, async () => {
      assertCan(actor, "members.remove");
      if (!self && !(await authorityOf(tx, actor)).outranks(row)) throw accessDenied();
      // Removing an owner (also oneself as an owner) needs a recent password or code (cookie sessions).
      if (row.roles.some((r) => isOwnerRole(r.role.slug))) assertRecentAuth(actor);
    });
    return deleteMembership(tx, actor, row, self ? "member.left" : "member.removed", { guardLastOwner: true });
  });
}
