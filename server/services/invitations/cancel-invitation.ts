/**
 * Cancels a pending invitation: the link stops working at once (status CANCELLED, pendingKey released so a new
 * invitation can follow), and queued emails for it are withdrawn. 404 when none is pending.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { cancelQueuedEmails } from "../../email/index.ts";
import { parseInput } from "../parse.ts";
import { describeRef, findPendingInvitation } from "./find-pending.ts";
import { noPendingInvitation, toInvitation } from "./invitation-record.ts";
import { ZCancelInvitationInput, type TCancelInvitationInput, type TInvitation } from "./invitations.schema.ts";

export async function cancelInvitation(db: Db, actor: Actor, input: TCancelInvitationInput): Promise<TInvitation> {
  assertCan(actor, "members.invite");
  const data = parseInput(ZCancelInvitationInput, input);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const current = await findPendingInvitation(tx, actor.tenantId, data.ref, { live: false, now });
    const r = await tx.invitation.updateMany({
      where: { id: current.id, tenantId: actor.tenantId, status: "PENDING" },
      data: { status: "CANCELLED", pendingKey: null, decidedAt: now },
    });
    if (r.count !== 1) throw noPendingInvitation(describeRef(data.ref));
    await cancelQueuedEmails(tx, "invitation", String(current.id));
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "invitation.cancelled", targetType: "invitation", targetId: current.id,
      before: { status: "PENDING", email: current.email, phone: current.phone }, after: { status: "CANCELLED" },
    });
    return { ...toInvitation(current, now), status: "CANCELLED" as const };
  });
}
