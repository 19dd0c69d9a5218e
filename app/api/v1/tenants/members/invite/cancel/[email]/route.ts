import { emailParam } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { cancelInvitation } from "@/server/services/invitations/cancel-invitation.ts";

/**
 * Seed 003: cancels the pending invitation of an email; the link stops working at once; 204. The seed uses GET for
 * this state change; it stays for compatibility (bearer tokens only, never cookies), with a POST twin.
 */
const cancel = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => {
  await cancelInvitation(db, principal!.actor, { ref: { email: emailParam(params.email) } });
  return { status: 204, body: undefined };
});

export const GET = cancel;
export const POST = cancel;
