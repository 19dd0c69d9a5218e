/** Reactivates a suspended member (same rank rule as suspension); their access returns at their next request. */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
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
    await tx.membership.update({ where: { id: row.id }, data: { status: "ACTIVE" } });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.reactivated", targetType: "membership", targetId: row.id,
      before: { status: "SUSPENDED" }, after: { status: "ACTIVE" },
    });
    return { ...toMember(row), status: "ACTIVE" };
  });
}
