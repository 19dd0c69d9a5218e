import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { getDb } from "@/server/db/client.ts";
import { isAppError } from "@/server/errors.ts";
import { INVITE_COOKIE, isSameOriginPost, seeOther } from "@/server/invite-cookie.ts";
import { signUpFromInvitation } from "@/server/services/auth/sign-up-from-invitation.ts";
import { metaFromHeaders } from "@/server/trpc/context.ts";

/** Creates the invitee's account (password, names); then they sign in and confirm the invitation. */
export async function POST(req: NextRequest) {
  const back = (query: string) => seeOther(`/invite?${query}`);
  if (!isSameOriginPost(req)) return back("error=origin");
  const token = (await cookies()).get(INVITE_COOKIE)?.value;
  if (!token) return back("error=link");
  const form = await req.formData().catch(() => null);
  const field = (k: string) => {
    const v = form?.get(k);
    return typeof v === "string" && v.trim() !== "" ? v : undefined;
  };
  try {
    const { email } = await signUpFromInvitation(
      await getDb(),
      { rawToken: token, password: field("password") ?? "", ...(field("firstName") ? { firstName: field("firstName")! } : {}), ...(field("lastName") ? { lastName: field("lastName")! } : {}) },
      metaFromHeaders(req.headers),
    );
    return seeOther(`/signin?callbackUrl=%2Finvite&created=1&email=${encodeURIComponent(email)}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return back(`error=${encodeURIComponent(e.userMessage)}`);
  }
}
