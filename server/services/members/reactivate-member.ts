/** Reactivates a suspended member (same rank rule as suspension); their access returns at their next request. */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { auditInsert } from "../../audit/record-sql.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { parseInput } from "../parse.ts";
import { accessDenied, authorityOf, findMemberRow, toMember } from "./member-record.ts";
import { ZMemberIdInput, type TMember, type TMemberIdInput } from "./members.schema.ts";

export async function reactivateMember(db: Db, actor: Actor, input: TMemberIdInput): Promise<TMember> {
  assertCan(actor, "members.remove");
  const { id } = parseInput(ZMemberIdInput, input);
  return db.$transaction(async (tx) => {
    const row = await findMemberRow(tx, actor.tenantId, { id });
    if (!(await authorityOf(tx, actor)).outranks(row)) throw accessDenied();
    if (row.status === "ACTIVE") return toMember(row);
    const t = actor.tenantId;
    const now = new Date();
    const audit = auditInsert(
      [{ actor, tenantId: t, action: "member.reactivated", targetType: "membership", targetId: row.id, before: { status: "SUSPENDED" }, after: { status: "ACTIVE" } }],
      { when: Prisma.sql`EXISTS (SELECT 1 FROM upd)`, now },
    );
    // One statement: the update (only of a member still suspended) and its audit row.
    const [out] = await tx.$queryRaw<{ updated: number }[]>`
      WITH upd AS (
        UPDATE "Membership" SET "status" = 'ACTIVE', "updatedAt" = ${now}
         WHERE "id" = ${row.id} AND "tenantId" = ${t} AND "status" = 'SUSPENDED' RETURNING 1
      ), audit AS (${audit})
      SELECT (SELECT count(*)::int FROM upd) AS "updated"`;
    if (Number(out!.updated) === 0) {
      // Reactivated meanwhile (nothing to do, as above) or removed (NOT_FOUND).
      const again = await findMemberRow(tx, actor.tenantId, { id });
      return toMember(again);
    }
    return { ...toMember(row), status: "ACTIVE" };
  });
}
