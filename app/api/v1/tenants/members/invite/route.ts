import { parseBody } from "@/server/rest/http.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { createInvitation } from "@/server/services/invitations/create-invitation.ts";
import { toInvitedMember003 } from "@/server/rest/member-dto.ts";
import { ZInvite003Body } from "@/server/services/invitations/wire.ts";

/** Seed 003: invites a member by email; 201 the Member (status INVITED), plus `inviteUrl` once when no email is sent. */
export const POST = seed003Route({ body: true }, async ({ db, principal, body }) => {
  const b = parseBody(ZInvite003Body, body);
  const out = await createInvitation(db, principal!.actor, {
    email: b.email, sendEmail: b.sendEmail, kind: "MEMBER", ...(b.verificationBaseUrl !== undefined ? { verificationBaseUrl: b.verificationBaseUrl } : {}),
  });
  return { status: 201, body: toInvitedMember003(out.invitation, out.inviteUrl) };
});
