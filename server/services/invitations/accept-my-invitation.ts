/**
 * The signed-in user accepts one of their own pending invitations from the account page, by id. The rules are the
 * link's (acceptLoadedInvitation: race-safe claim, presets re-checked and applied, audit and inviter notice in the
 * transaction); only the lookup differs: the invitation must be the user's own (list-my-invitations.ts), and
 * someone else's id is the same NOT_FOUND as a missing one.
 */
import type { RequestMeta } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { acceptLoadedInvitation } from "./accept-invitation.ts";
import type { TAcceptInvitationOutput } from "./invitations.schema.ts";
import { findMyLiveInvitation, myInvitationNotFound, parseMyInvitationInput } from "./list-my-invitations.ts";
import { loadInvitee } from "./token-lookup.ts";

const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

export async function acceptMyInvitation(db: Db, input: { userId: number; id: number }, meta: RequestMeta = NO_META): Promise<TAcceptInvitationOutput> {
  const { id } = parseMyInvitationInput({ id: input.id });
  return db.$transaction(async (tx) => {
    const now = new Date();
    const user = await loadInvitee(tx, input.userId);
    const inv = await findMyLiveInvitation(tx, user, id, now);
    return acceptLoadedInvitation(tx, inv, user, { now, meta, via: "account", gone: myInvitationNotFound });
  });
}
