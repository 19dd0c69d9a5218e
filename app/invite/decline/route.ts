import type { NextRequest } from "next/server";
import { finish, handleInviteForm } from "@/server/invite-landing/form.ts";
import { declineInvitation } from "@/server/services/invitations/decline-invitation.ts";

export function POST(req: NextRequest) {
  return handleInviteForm(req, { signedIn: true }, async ({ db, token, userId, meta }) => {
    await declineInvitation(db, { userId: userId!, rawToken: token }, meta);
    return finish("/invite?done=declined");
  });
}
