import type { NextRequest } from "next/server";
import { finish, handleInviteForm } from "@/server/invite-form.ts";
import { acceptInvitation } from "@/server/services/invitations/accept-invitation.ts";

/** The explicit confirmation: a form POST from the invitation page. */
export function POST(req: NextRequest) {
  return handleInviteForm(req, { signedIn: true }, async ({ db, token, userId, meta }) => {
    const r = await acceptInvitation(db, { userId: userId!, rawToken: token }, meta);
    return finish(`/t/${r.tenantSlug}?welcome=1`);
  });
}
