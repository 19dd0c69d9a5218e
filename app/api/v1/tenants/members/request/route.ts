import { seed003Route } from "@/server/rest/seed003.ts";
import { createJoinRequestOnBehalf } from "@/server/services/join-requests/create-join-request-on-behalf.ts";
import { toRequestMember003 } from "@/server/rest/member-dto.ts";

/**
 * Roster addition to seed 003: an integrator's own sign-up flow asks to join on a person's behalf, under a partner
 * token only (people ask for themselves on /join/[tenant]). 201 with the Member in status REQUESTED.
 *
 * The answer shows only what the integrator gave (the address), like an invitation's Member (WIRE.md): an existing
 * account's name, language, last sign-in and verification state stay private, so a known address (perhaps another
 * tenant's member) and an unknown one answer alike (issue 9, Enumeration). The tenant's admins see the person in
 * their pending inbox once the request is filed.
 */
export const POST = seed003Route({ body: true }, async ({ db, principal, body }) => {
  const request = await createJoinRequestOnBehalf(db, principal!.actor, (body ?? {}) as never);
  const asGiven = { ...request.user, firstName: null, lastName: null, displayName: null, language: "en", verified: false, lastLoginAt: null, avatar: null };
  return { status: 201, body: toRequestMember003({ ...request, user: asGiven }) };
});
