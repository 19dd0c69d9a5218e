import type { NextRequest } from "next/server";
import { seeOther } from "@/server/invite-landing/cookie.ts";
import { handleInviteForm } from "@/server/invite-landing/form.ts";
import { signUpFromInvitation } from "@/server/services/auth/sign-up-from-invitation.ts";

/** Creates the invitee's account (password, names); then they sign in and confirm the invitation. */
export function POST(req: NextRequest) {
  return handleInviteForm(req, { signedIn: false }, async ({ db, token, meta }) => {
    const form = await req.formData().catch(() => null);
    const field = (k: string) => {
      const v = form?.get(k);
      return typeof v === "string" && v.trim() !== "" ? v : undefined;
    };
    const firstName = field("firstName");
    const lastName = field("lastName");
    const { email } = await signUpFromInvitation(
      db,
      { rawToken: token, password: field("password") ?? "", ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}) },
      meta,
    );
    return seeOther(`/signin?callbackUrl=%2Finvite&created=1&email=${encodeURIComponent(email)}`);
  });
}
