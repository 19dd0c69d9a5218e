import type { NextRequest } from "next/server";
import { finish, handleInviteForm } from "@/server/invite-landing/form.ts";
import { acceptInvitation } from "@/server/services/invitations/accept-invitation.ts";

/**
 * The explicit confirmation: a form POST from the invitation page. When preset units were skipped (archived since
 * the invitation was sent), the landing page names them first instead of going straight to the tenant.
 */
export function POST(req: NextRequest) {
  return handleInviteForm(req, { signedIn: true }, async ({ db, token, userId, meta }) => {
    const r = await acceptInvitation(db, { userId: userId!, rawToken: token }, meta);
    if (r.skippedUnits.length > 0) return finish(`/invite?done=accepted&invitation=${r.invitationId}`);
    return finish(`/t/${r.tenantSlug}?welcome=1`);
  });
}
