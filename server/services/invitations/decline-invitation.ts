/** The invitee declines: one conditional update (PENDING → DECLINED, link dead), recorded in the audit log. */
import type { RequestMeta } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db, Tx } from "../../db/client.ts";
import type { AppError } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import type { AcceptVia } from "./accept-invitation.ts";
import { ZTokenInput } from "./invitations.schema.ts";
import { assertRecipient, findLiveByToken, invalidLink, loadInvitee, type Invitee, type TokenInvitation } from "./token-lookup.ts";

const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

export async function declineInvitation(db: Db, input: { userId: number; rawToken: string }, meta: RequestMeta = NO_META): Promise<{ tenantSlug: string }> {
  const { rawToken } = parseInput(ZTokenInput, { rawToken: input.rawToken });
  return db.$transaction(async (tx) => {
    const now = new Date();
    const inv = await findLiveByToken(tx, rawToken, now);
    if (!inv) throw invalidLink();
    const user = await loadInvitee(tx, input.userId);
    return declineLoadedInvitation(tx, inv, user, { now, meta, via: "link", gone: invalidLink });
  });
}

/**
 * Internal: the decline rules once the live invitation and the invitee are loaded inside `tx`. Shared by the token
 * path (declineInvitation) and the id path (declineMyInvitation) so the two cannot drift apart.
 */
export async function declineLoadedInvitation(
  tx: Tx,
  inv: TokenInvitation,
  user: Invitee,
  ctx: { now: Date; meta: RequestMeta; via: AcceptVia; gone: () => AppError },
): Promise<{ tenantSlug: string }> {
  assertRecipient(inv, user);
  const r = await tx.invitation.updateMany({
    where: { tenantId: inv.tenantId, id: inv.id, status: "PENDING", expiresAt: { gt: ctx.now } },
    data: { status: "DECLINED", pendingKey: null, decidedAt: ctx.now },
  });
  if (r.count !== 1) throw ctx.gone();
  await recordAuditEvent(tx, {
    actor: { kind: "user", userId: user.id, tokenId: null, meta: ctx.meta }, tenantId: inv.tenantId, action: "invitation.declined",
    targetType: "invitation", targetId: inv.id, after: { status: "DECLINED", ...(ctx.via === "account" ? { via: "account" } : {}) },
  });
  return { tenantSlug: inv.tenant.slug };
}
