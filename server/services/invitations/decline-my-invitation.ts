/**
 * The signed-in user declines one of their own pending invitations from the account page, by id: the link's rules
 * (declineLoadedInvitation), the account page's lookup (someone else's id is the same NOT_FOUND as a missing one).
 */
import type { RequestMeta } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { declineLoadedInvitation } from "./decline-invitation.ts";
import { findMyLiveInvitation, myInvitationNotFound, parseMyInvitationInput } from "./list-my-invitations.ts";
import { loadInvitee } from "./token-lookup.ts";

const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

export async function declineMyInvitation(db: Db, input: { userId: number; id: number }, meta: RequestMeta = NO_META): Promise<{ tenantSlug: string }> {
  const { id } = parseMyInvitationInput({ id: input.id });
  return db.$transaction(async (tx) => {
    const now = new Date();
    const user = await loadInvitee(tx, input.userId);
    const inv = await findMyLiveInvitation(tx, user, id, now);
    return declineLoadedInvitation(tx, inv, user, { now, meta, via: "account", gone: myInvitationNotFound });
  });
}
