/**
 * The pending inbox's invitations: PENDING and unexpired, optionally of one kind, with age, expiry, send count and
 * the latest delivery status (so a failed send shows and can be resent). Invitations whose time ran out are marked
 * EXPIRED on the way (audited, attributed to the system) and never listed as pending; `includeExpired` lists them
 * with status EXPIRED.
 */
import { assertCan, can, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { latestDeliveryStatuses } from "../../email/index.ts";
import { parseInput } from "../parse.ts";
import { expireStale, INVITATION_SELECT, toInvitation, type InvitationRow } from "./invitation-record.ts";
import { ZListPendingInvitationsInput, type TListPendingInvitationsInput, type TListPendingInvitationsOutput } from "./invitations.schema.ts";

const LIST_CAP = 1000;

export async function listPendingInvitations(db: Db, actor: Actor, input: TListPendingInvitationsInput = {}): Promise<TListPendingInvitationsOutput> {
  if (!can(actor, "members.invite")) assertCan(actor, "members.read");
  const data = parseInput(ZListPendingInvitationsInput, input);
  const now = new Date();
  await db.$transaction((tx) => expireStale(tx, actor.tenantId, undefined, now));
  const rows = (await db.invitation.findMany({
    where: {
      tenantId: actor.tenantId,
      ...(data.kind ? { kind: data.kind } : {}),
      ...(data.includeExpired ? { status: { in: ["PENDING", "EXPIRED"] } } : { status: "PENDING", expiresAt: { gt: now } }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIST_CAP,
    select: INVITATION_SELECT,
  })) as InvitationRow[];
  const delivery = await latestDeliveryStatuses(db, "invitation", rows.map((r) => r.id));
  return {
    invitations: rows.map((r) => {
      const d = delivery.get(String(r.id));
      return {
        ...toInvitation(r, now),
        ageDays: Math.floor((now.getTime() - r.createdAt.getTime()) / 86_400_000),
        delivery: d ? { status: d.status, error: d.error, retrying: d.retrying, attempts: d.attempts, sentAt: d.sentAt } : null,
      };
    }),
  };
}
