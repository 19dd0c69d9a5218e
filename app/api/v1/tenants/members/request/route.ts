import { seed003Route } from "@/server/rest/seed003.ts";
import { createJoinRequestOnBehalf } from "@/server/services/join-requests/create-join-request-on-behalf.ts";
import { toRequestMember003 } from "@/server/rest/member-dto.ts";

/**
 * Roster addition to seed 003: an integrator's own sign-up flow asks to join on a person's behalf, under a partner
 * token only (people ask for themselves on /join/[tenant]). 201 with the Member in status REQUESTED.
 */
export const POST = seed003Route({ body: true }, async ({ db, principal, body }) => ({
  status: 201,
  body: toRequestMember003(await createJoinRequestOnBehalf(db, principal!.actor, (body ?? {}) as never)),
}));
