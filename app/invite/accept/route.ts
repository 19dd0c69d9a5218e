import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { auth } from "@/server/auth/index.ts";
import { getDb } from "@/server/db/client.ts";
import { isAppError } from "@/server/errors.ts";
import { INVITE_COOKIE, isSameOriginPost, seeOther } from "@/server/invite-cookie.ts";
import { acceptInvitation } from "@/server/services/invitations/accept-invitation.ts";
import { metaFromHeaders } from "@/server/trpc/context.ts";

/** The explicit confirmation: a form POST from the invitation page. */
export async function POST(req: NextRequest) {
  const back = (query: string) => seeOther(`/invite?${query}`);
  if (!isSameOriginPost(req)) return back("error=origin");
  const session = await auth();
  if (!session) return seeOther("/signin?callbackUrl=%2Finvite");
  const token = (await cookies()).get(INVITE_COOKIE)?.value;
  if (!token) return back("error=link");
  try {
    const r = await acceptInvitation(await getDb(), { userId: session.user.id, rawToken: token }, metaFromHeaders(req.headers));
    const res = seeOther(`/t/${r.tenantSlug}?welcome=1`);
    res.cookies.delete({ name: INVITE_COOKIE, path: "/invite" });
    return res;
  } catch (e) {
    if (!isAppError(e)) throw e;
    return back(`error=${encodeURIComponent(e.userMessage)}`);
  }
}
