/**
 * Suspends a member: the record stays, access ends at their next request (loadMemberActor refuses suspended
 * members). Refused for the last owner (CONFLICT, checked first), for oneself, and for a peer or superior.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { assertNotLastOwner } from "./guards.ts";
import { accessDenied, authorityOf, findMemberRow, toMember } from "./member-record.ts";
import { ZMemberIdInput, type TMember, type TMemberIdInput } from "./members.schema.ts";

export async function suspendMember(db: Db, actor: Actor, input: TMemberIdInput): Promise<TMember> {
  const { id } = parseInput(ZMemberIdInput, input);
  return db.$transaction(async (tx) => {
    const row = await findMemberRow(tx, actor.tenantId, { id });
    await assertNotLastOwner(tx, actor.tenantId, row.id);
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.remove");
    if (row.id === actor.membershipId) throw accessDenied("Access denied. You cannot suspend yourself.");
    if (!(await authorityOf(tx, actor)).outranks(row)) throw accessDenied();
    // Idempotent: suspending a suspended member changes nothing and records nothing.
    if (row.status === "SUSPENDED") return toMember(row);
    await tx.membership.update({ where: { id: row.id }, data: { status: "SUSPENDED" } });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.suspended", targetType: "membership", targetId: row.id,
      before: { status: "ACTIVE" }, after: { status: "SUSPENDED" },
    });
    return { ...toMember(row), status: "SUSPENDED" };
  });
}
