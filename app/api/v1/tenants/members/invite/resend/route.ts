import { parseBody } from "@/server/rest/http.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { resendInvitation } from "@/server/services/invitations/resend-invitation.ts";
import { ZResend003Body } from "@/server/services/invitations/wire.ts";

/** Seed 003: resends a pending invitation with a new link (the old one stops working); 204. */
export const POST = seed003Route({ body: true }, async ({ db, principal, body }) => {
  const b = parseBody(ZResend003Body, body);
  await resendInvitation(db, principal!.actor, { ref: { email: b.email }, ...(b.verificationBaseUrl !== undefined ? { verificationBaseUrl: b.verificationBaseUrl } : {}) });
  return { status: 204, body: undefined };
});
