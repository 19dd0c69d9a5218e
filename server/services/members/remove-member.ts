/**
 * Removes a member from the tenant: the membership goes (its tenant roles and unit access cascade), the history stays
 * in the audit log as a before-snapshot. Returns the member as it was just before removal (seed 003). Refused for
 * the last owner (CONFLICT, checked first) and for a peer or superior. Removing oneself is leaving.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db, Tx } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { assertNotLastOwner } from "./guards.ts";
import { accessDenied, authorityOf, findMemberRow, snapshot, toMember, type MemberRow } from "./member-record.ts";
import { ZMemberRef, type TMember, type TMemberRef } from "./members.schema.ts";

/** Deletes a membership and records why, in the caller's transaction. */
export async function deleteMembership(tx: Tx, actor: Actor, row: MemberRow, action: "member.removed" | "member.left"): Promise<TMember> {
  const member = toMember(row);
  await tx.membership.delete({ where: { id: row.id } });
  await recordAuditEvent(tx, { actor, tenantId: actor.tenantId, action, targetType: "membership", targetId: row.id, before: snapshot(member) });
  return member;
}

export async function removeMember(db: Db, actor: Actor, input: TMemberRef): Promise<TMember> {
  const ref = parseInput(ZMemberRef, input);
  return db.$transaction(async (tx) => {
    const row = await findMemberRow(tx, actor.tenantId, ref);
    await assertNotLastOwner(tx, actor.tenantId, row.id);
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.remove");
    const self = row.id === actor.membershipId;
    if (!self && !(await authorityOf(tx, actor)).outranks(row)) throw accessDenied();
    // Removing an owner (also oneself as an owner) needs a recent password or code (cookie sessions).
    if (row.roles.some((r) => isOwnerRole(r.role.slug))) assertRecentAuth(actor);
    return deleteMembership(tx, actor, row, self ? "member.left" : "member.removed");
  });
}
