/**
 * Resends a pending invitation: a new token (the old link stops working at once), queued messages for the old one
 * withdrawn, expiry extended by the tenant's lifetime, send count up by one. An expired invitation is not pending:
 * 404 (invite again instead). Phone invitations have no email channel: the new link is returned once.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { cancelQueuedEmails } from "../../email/index.ts";
import { parseInput } from "../parse.ts";
import { describeRef, findPendingInvitation } from "./find-pending.ts";
import {
  assertLinkBase, expiryFrom, INVITATION_SELECT, inviteLink, inviterNameOf, loadTenantForInvites, newInviteToken, noPendingInvitation,
  queueInvitationEmail, toInvitation, type InvitationRow,
} from "./invitation-record.ts";
import { ZResendInvitationInput, type TResendInvitationInput, type TResendInvitationOutput } from "./invitations.schema.ts";

export async function resendInvitation(db: Db, actor: Actor, input: TResendInvitationInput): Promise<TResendInvitationOutput> {
  assertCan(actor, "members.invite");
  const data = parseInput(ZResendInvitationInput, input);
  const tenant = await loadTenantForInvites(db, actor.tenantId);
  assertLinkBase(tenant, data.verificationBaseUrl);
  const inviterName = await inviterNameOf(db, actor);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const current = await findPendingInvitation(tx, tenant.id, data.ref, { live: true, now });
    const token = newInviteToken();
    const expiresAt = expiryFrom(tenant, now);
    const emailed = current.email !== null;
    // Conditional on PENDING: a concurrent accept or cancel wins, and this resend finds nothing to do.
    const claimed = await tx.invitation.updateMany({
      where: { id: current.id, tenantId: tenant.id, status: "PENDING" },
      data: { tokenHash: token.hash, expiresAt, sendError: null, ...(emailed ? { sendCount: { increment: 1 }, lastSentAt: now } : {}) },
    });
    if (claimed.count !== 1) throw noPendingInvitation(describeRef(data.ref));
    await cancelQueuedEmails(tx, "invitation", String(current.id));
    const url = inviteLink(tenant, token.raw, data.verificationBaseUrl);
    if (emailed) {
      const role = current.roles[0] ? await tx.role.findUnique({ where: { tenantId_slug: { tenantId: tenant.id, slug: current.roles[0] } }, select: { title: true } }) : null;
      await queueInvitationEmail(tx, tenant, { id: current.id, kind: current.kind, email: current.email!, message: current.message, expiresAt, roleTitle: role?.title ?? null }, inviterName, url);
    }
    await recordAuditEvent(tx, {
      actor, tenantId: tenant.id, action: "invitation.resent", targetType: "invitation", targetId: current.id,
      before: { expiresAt: current.expiresAt.toISOString(), sendCount: current.sendCount },
      after: { expiresAt: expiresAt.toISOString(), sendCount: current.sendCount + (emailed ? 1 : 0) },
    });
    const row = (await tx.invitation.findUniqueOrThrow({ where: { id: current.id }, select: INVITATION_SELECT })) as InvitationRow;
    return { invitation: toInvitation(row, now), inviteUrl: emailed ? null : url };
  });
}
