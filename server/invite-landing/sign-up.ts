/**
 * "Create account" on the invitation page, in one step: the account gets its password (signUpFromInvitation), the
 * person is signed in (a session like any sign-in's: the password was just chosen and the link proved the mailbox),
 * and the invitation is accepted, landing on its "You joined" page. Typing the password again on the sign-in page and
 * pressing Accept afterwards added nothing but two steps. When the acceptance itself is refused (the tenant requires
 * two-factor, say), the person is still signed in and back on the invitation with the reason and its buttons.
 */
import type { NextResponse } from "next/server";
import { issueSessionCookie } from "../auth/issue-session.ts";
import { isAppError } from "../errors.ts";
import { acceptInvitation } from "../services/invitations/accept-invitation.ts";
import { signUpFromInvitation } from "../services/auth/sign-up-from-invitation.ts";
import { seeOther } from "./cookie.ts";
import { finish, handleInviteForm } from "./form.ts";

export function signUpAndAccept(req: Request): Promise<NextResponse> {
  return handleInviteForm(req, { signedIn: false }, async ({ db, token, meta }) => {
    const form = await req.formData().catch(() => null);
    const field = (k: string) => {
      const v = form?.get(k);
      return typeof v === "string" && v.trim() !== "" ? v : undefined;
    };
    const firstName = field("firstName");
    const lastName = field("lastName");
    const user = await signUpFromInvitation(
      db,
      { rawToken: token, password: field("password") ?? "", ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}) },
      meta,
    );
    const cookie = await issueSessionCookie(db, user, meta);
    let res: NextResponse;
    try {
      const accepted = await acceptInvitation(db, { userId: user.id, rawToken: token }, meta);
      res = finish(`/invite?done=accepted&invitation=${accepted.invitationId}`);
    } catch (e) {
      if (!isAppError(e)) throw e;
      res = seeOther(`/invite?error=${encodeURIComponent(e.userMessage)}`);
    }
    res.cookies.set(cookie.name, cookie.value, cookie.options);
    return res;
  });
}
