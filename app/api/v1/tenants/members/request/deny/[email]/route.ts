import { emailParam } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { denyJoinRequest } from "@/server/services/join-requests/deny-join-request.ts";
import { toRequestMember003 } from "@/server/rest/member-dto.ts";

/**
 * Seed 003: denies the pending join request of the person with this email; 200 with the Member as it was just
 * before the decision (status REQUESTED), like remove answers the Member as it was before removal: the seed's
 * statuses have no "denied", and the person is not a member. A GET for compatibility, with a POST twin.
 */
const deny = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toRequestMember003(await denyJoinRequest(db, principal!.actor, { ref: { email: emailParam(params.email) } })),
}));

export const GET = deny;
export const POST = deny;
