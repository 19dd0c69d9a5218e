/**
 * Suspends a member: the record stays, access ends at their next request (loadMemberActor refuses suspended
 * members). Refused for the last owner (CONFLICT, checked first), for oneself, and for a peer or superior.
 * Two statements inside the transaction: the locks with the member's read, then the update with its audit row and the
 * last-owner rule in its WHERE (guards.ts).
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { auditInsert } from "../../audit/record-sql.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { parseInput } from "../parse.ts";
import { lastOwnerError, lastOwnerSql, refusingLastOwnerFirst } from "./guards.ts";
import { accessDenied, authorityOf, lockAndFindMemberRow, memberNotFound, toMember } from "./member-record.ts";
import { ZMemberIdInput, type TMember, type TMemberIdInput } from "./members.schema.ts";

export async function suspendMember(db: Db, actor: Actor, input: TMemberIdInput): Promise<TMember> {
  const { id } = parseInput(ZMemberIdInput, input);
  return db.$transaction(async (tx) => {
    const row = await lockAndFindMemberRow(tx, actor.tenantId, { id });
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    await refusingLastOwnerFirst(tx, actor.tenantId, row.id, true, async () => {
      assertCan(actor, "members.remove");
      if (row.id === actor.membershipId) throw accessDenied("Access denied. You cannot suspend yourself.");
      if (!(await authorityOf(tx, actor)).outranks(row)) throw accessDenied();
    });
    // Idempotent: suspending a suspended member changes nothing and records nothing (a suspended member is no
    // active owner, so the rule cannot refuse it).
    if (row.status === "SUSPENDED") return toMember(row);
    const t = actor.tenantId;
    const now = new Date();
    const audit = auditInsert(
      [{ actor, tenantId: t, action: "member.suspended", targetType: "membership", targetId: row.id, before: { status: "ACTIVE" }, after: { status: "SUSPENDED" } }],
      { when: Prisma.sql`EXISTS (SELECT 1 FROM upd)`, now },
    );
    const [out] = await tx.$queryRaw<{ allowed: boolean; updated: number }[]>`
      WITH guard AS MATERIALIZED (SELECT NOT ${lastOwnerSql(t, row.id)} AS ok),
      upd AS (
        UPDATE "Membership" SET "status" = 'SUSPENDED', "updatedAt" = ${now}
         WHERE "id" = ${row.id} AND "tenantId" = ${t} AND (SELECT ok FROM guard) RETURNING 1
      ), audit AS (${audit})
      SELECT (SELECT ok FROM guard) AS "allowed", (SELECT count(*)::int FROM upd) AS "updated"`;
    if (!out!.allowed) throw lastOwnerError();
    if (Number(out!.updated) === 0) throw memberNotFound();
    return { ...toMember(row), status: "SUSPENDED" };
  });
}
