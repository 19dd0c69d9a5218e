/**
 * Seed 003's member routes, `/api/v1/tenants/members/{active,pending,remove/[email],[email]}`: listing and removing
 * the token's tenant's members. Dispatched by REST_ROUTES (./index.ts); the files under app/api/v1/tenants/members
 * re-export these handlers.
 */
import { pagingOf } from "../http.ts";
import { activeMember003Json, emailParam, toInvitedMember003, toMember003, toRequestMember003 } from "../member-dto.ts";
import { seed003Route } from "../seed003.ts";
import { listActiveMembers } from "../../services/members/list-active-members.ts";
import { removeMember } from "../../services/members/remove-member.ts";
import { listPending } from "../../services/pending/list-pending.ts";

/**
 * Seed 003: every ACTIVE member of the token's tenant, members and client users alike, as a bare array (the seed's
 * shape), streamed from one statement. Optional `?page=&count=` (count ≤ 1,000); `X-Total-Count` always carries the
 * exact total, since a bare array has no room for it.
 */
export const membersActiveGET = seed003Route({}, async ({ req, db, principal }) => {
  const { total, members } = await listActiveMembers(db, principal!.actor, { page: pagingOf(new URL(req.url)) });
  return { rows: { items: members, toJson: activeMember003Json }, headers: { "X-Total-Count": String(total) } };
});

/** Seed 003: pending invitations, pending client invitations and pending join requests of the token's tenant. */
export const membersPendingGET = seed003Route({}, async ({ db, principal }) => {
  const p = await listPending(db, principal!.actor);
  return {
    body: {
      pendingInvites: p.invites.map((i) => toInvitedMember003(i)),
      pendingClientInvites: p.clientInvites.map((i) => toInvitedMember003(i)),
      pendingRequests: p.requests.map(toRequestMember003),
    },
  };
});

/**
 * Seed 003: removes a member addressed by email and answers the Member as it was just before. The seed uses GET for
 * this state change; it stays for compatibility (bearer tokens only, never cookies, so it cannot be triggered
 * cross-site), with a POST twin for clients that will not send state changes as GET.
 */
export const membersRemove = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toMember003(await removeMember(db, principal!.actor, { email: emailParam(params.email) })),
}));

/** Roster's RESTful twin of `GET /tenants/members/remove/{email}`: same service, same answer. */
export const memberDELETE = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toMember003(await removeMember(db, principal!.actor, { email: emailParam(params.email) })),
}));
