import { toInvitedMember003, toRequestMember003 } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { listPending } from "@/server/services/pending/list-pending.ts";

/** Seed 003: pending invitations, pending client invitations and pending join requests of the token's tenant. */
export const GET = seed003Route({}, async ({ db, principal }) => {
  const p = await listPending(db, principal!.actor);
  return {
    body: {
      pendingInvites: p.invites.map((i) => toInvitedMember003(i)),
      pendingClientInvites: p.clientInvites.map((i) => toInvitedMember003(i)),
      pendingRequests: p.requests.map(toRequestMember003),
    },
  };
});
