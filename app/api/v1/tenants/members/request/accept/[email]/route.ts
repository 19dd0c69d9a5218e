import { emailParam, toMember003 } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { acceptJoinRequest } from "@/server/services/join-requests/accept-join-request.ts";

/**
 * Seed 003: accepts the pending join request of the person with this email; 200 with the Member, now ACTIVE, as a
 * worker without units (the admin app chooses role and units). A GET for compatibility (bearer tokens only, never
 * cookies, so it cannot be triggered cross-site), with a POST twin.
 */
const accept = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toMember003((await acceptJoinRequest(db, principal!.actor, { ref: { email: emailParam(params.email) } })).member),
}));

export const GET = accept;
export const POST = accept;
