/**
 * Seed 003's invitation routes, `/api/v1/tenants/members/invite/**`: invite a member or a client user, resend, and
 * cancel. Dispatched by REST_ROUTES (./index.ts); the files under app/api/v1/tenants/members/invite re-export these
 * handlers.
 */
import { parseBody } from "../http.ts";
import { emailParam, toInvitedMember003 } from "../member-dto.ts";
import { seed003Route } from "../seed003.ts";
import { cancelInvitation } from "../../services/invitations/cancel-invitation.ts";
import { createInvitation } from "../../services/invitations/create-invitation.ts";
import { resendInvitation } from "../../services/invitations/resend-invitation.ts";
import { ZInvite003Body, ZResend003Body } from "../../services/invitations/wire.ts";

/** Seed 003: invites a member by email; 201 the Member (status INVITED), plus `inviteUrl` once when no email is sent. */
export const membersInvitePOST = seed003Route({ body: true }, async ({ db, principal, body }) => {
  const b = parseBody(ZInvite003Body, body);
  const out = await createInvitation(db, principal!.actor, {
    email: b.email, sendEmail: b.sendEmail, kind: "MEMBER", ...(b.verificationBaseUrl !== undefined ? { verificationBaseUrl: b.verificationBaseUrl } : {}),
  });
  return { status: 201, body: toInvitedMember003(out.invitation, out.inviteUrl) };
});

/** Seed 003: invites a client user by email; 201 the Member (status INVITED, role client), listed as a client invite. */
export const membersInviteClientPOST = seed003Route({ body: true }, async ({ db, principal, body }) => {
  const b = parseBody(ZInvite003Body, body);
  const out = await createInvitation(db, principal!.actor, {
    email: b.email, sendEmail: b.sendEmail, kind: "CLIENT", ...(b.verificationBaseUrl !== undefined ? { verificationBaseUrl: b.verificationBaseUrl } : {}),
  });
  return { status: 201, body: toInvitedMember003(out.invitation, out.inviteUrl) };
});

/** Seed 003: resends a pending invitation with a new link (the old one stops working); 204. */
export const membersInviteResendPOST = seed003Route({ body: true }, async ({ db, principal, body }) => {
  const b = parseBody(ZResend003Body, body);
  await resendInvitation(db, principal!.actor, { ref: { email: b.email }, ...(b.verificationBaseUrl !== undefined ? { verificationBaseUrl: b.verificationBaseUrl } : {}) });
  return { status: 204, body: undefined };
});

/**
 * Seed 003: cancels the pending invitation of an email; the link stops working at once; 204. The seed uses GET for
 * this state change; it stays for compatibility (bearer tokens only, never cookies), with a POST twin.
 */
export const membersInviteCancel = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => {
  await cancelInvitation(db, principal!.actor, { ref: { email: emailParam(params.email) } });
  return { status: 204, body: undefined };
});
