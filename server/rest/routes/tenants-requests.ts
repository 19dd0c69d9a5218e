/**
 * Seed 003's join-request routes, `/api/v1/tenants/members/request/**`: file a request on someone's behalf, accept
 * it, deny it. Dispatched by REST_ROUTES (./index.ts); the files under app/api/v1/tenants/members/request re-export
 * these handlers.
 */
import { emailParam, toMember003, toRequestMember003 } from "../member-dto.ts";
import { seed003Route } from "../seed003.ts";
import { acceptJoinRequest } from "../../services/join-requests/accept-join-request.ts";
import { createJoinRequestOnBehalf } from "../../services/join-requests/create-join-request-on-behalf.ts";
import { denyJoinRequest } from "../../services/join-requests/deny-join-request.ts";

/**
 * Roster addition to seed 003: an integrator's own sign-up flow asks to join on a person's behalf, under a partner
 * token only (people ask for themselves on /join/[tenant]). 201 with the Member in status REQUESTED.
 *
 * The answer shows only what the integrator gave (the address), like an invitation's Member (WIRE.md): an existing
 * account's name, language, last sign-in and verification state stay private, so a known address (perhaps another
 * tenant's member) and an unknown one answer alike (issue 9, Enumeration). The tenant's admins see the person in
 * their pending inbox once the request is filed.
 */
export const membersRequestPOST = seed003Route({ body: true }, async ({ db, principal, body }) => {
  const request = await createJoinRequestOnBehalf(db, principal!.actor, (body ?? {}) as never);
  const asGiven = { ...request.user, firstName: null, lastName: null, displayName: null, language: "en", verified: false, lastLoginAt: null, avatar: null };
  return { status: 201, body: toRequestMember003({ ...request, user: asGiven }) };
});

/**
 * Seed 003: accepts the pending join request of the person with this email; 200 with the Member, now ACTIVE, as a
 * worker without units (the admin app chooses role and units). A GET for compatibility (bearer tokens only, never
 * cookies, so it cannot be triggered cross-site), with a POST twin.
 */
export const membersRequestAccept = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toMember003((await acceptJoinRequest(db, principal!.actor, { ref: { email: emailParam(params.email) } })).member),
}));

/**
 * Seed 003: denies the pending join request of the person with this email; 200 with the Member as it was just
 * before the decision (status REQUESTED), like remove answers the Member as it was before removal: the seed's
 * statuses have no "denied", and the person is not a member. A GET for compatibility, with a POST twin.
 */
export const membersRequestDeny = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toRequestMember003(await denyJoinRequest(db, principal!.actor, { ref: { email: emailParam(params.email) } })),
}));
