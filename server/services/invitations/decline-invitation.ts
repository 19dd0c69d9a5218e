/** The invitee declines: one conditional update (PENDING → DECLINED, link dead), recorded in the audit log. */
import type { RequestMeta } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { ZTokenInput } from "./invitations.schema.ts";
import { assertRecipient, findLiveByToken, invalidLink, loadInvitee } from "./token-lookup.ts";

const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

export async function declineInvitation(db: Db, input: { userId: number; rawToken: string }, meta: RequestMeta = NO_META): Promise<{ tenantSlug: string }> {
  const { rawToken } = parseInput(ZTokenInput, { rawToken: input.rawToken });
  return db.$transaction(async (tx) => {
    const now = new Date();
    const inv = await findLiveByToken(tx, rawToken, now);
    if (!inv) throw invalidLink();
    const user = await loadInvitee(tx, input.userId);
    assertRecipient(inv, user);
    const r = await tx.invitation.updateMany({
      where: { id: inv.id, status: "PENDING", expiresAt: { gt: now } },
      data: { status: "DECLINED", pendingKey: null, decidedAt: now },
    });
    if (r.count !== 1) throw invalidLink();
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: user.id, tokenId: null, meta }, tenantId: inv.tenantId, action: "invitation.declined",
      targetType: "invitation", targetId: inv.id, after: { status: "DECLINED" },
    });
    return { tenantSlug: inv.tenant.slug };
  });
}
