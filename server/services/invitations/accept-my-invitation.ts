/**
 * The signed-in user accepts one of their own pending invitations from the account page, by id. The rules are the
 * link's (acceptLoadedInvitation: race-safe claim, presets re-checked and applied, audit and inviter notice in the
 * transaction); only the lookup differs: the invitation must be the user's own (list-my-invitations.ts: same email,
 * verified account, live), and someone else's id is the same NOT_FOUND as a missing one.
 */
import type { RequestMeta } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { acceptLoadedInvitation, liveInvitee, loadAcceptFacts } from "./accept-invitation.ts";
import { effectiveStatus } from "./invitation-record.ts";
import type { TAcceptInvitationOutput } from "./invitations.schema.ts";
import { myInvitationNotFound, parseMyInvitationInput } from "./list-my-invitations.ts";

const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

export async function acceptMyInvitation(db: Db, input: { userId: number; id: number }, meta: RequestMeta = NO_META): Promise<TAcceptInvitationOutput> {
  const { id } = parseMyInvitationInput({ id: input.id });
  const now = new Date();
  const facts = await loadAcceptFacts(db, input.userId, { id }, now);
  const user = liveInvitee(facts.invitee);
  const inv = facts.invitation;
  // findMyLiveInvitation's predicate: a verified account, the invitation's email is the account's, and it is live.
  if (!user.emailVerifiedAt || !inv || inv.email !== user.email || effectiveStatus(inv, now) !== "PENDING") throw myInvitationNotFound();
  return acceptLoadedInvitation(db, { ...facts, invitation: inv }, user, { now, meta, via: "account", gone: myInvitationNotFound });
}
