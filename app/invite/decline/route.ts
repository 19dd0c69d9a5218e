import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { auth } from "@/server/auth/index.ts";
import { getDb } from "@/server/db/client.ts";
import { isAppError } from "@/server/errors.ts";
import { INVITE_COOKIE, isSameOriginPost, seeOther } from "@/server/invite-cookie.ts";
import { declineInvitation } from "@/server/services/invitations/decline-invitation.ts";
import { metaFromHeaders } from "@/server/trpc/context.ts";

export async function POST(req: NextRequest) {
  const back = (query: string) => seeOther(`/invite?${query}`);
  if (!isSameOriginPost(req)) return back("error=origin");
  const session = await auth();
  if (!session) return seeOther("/signin?callbackUrl=%2Finvite");
  const token = (await cookies()).get(INVITE_COOKIE)?.value;
  if (!token) return back("error=link");
  try {
    await declineInvitation(await getDb(), { userId: session.user.id, rawToken: token }, metaFromHeaders(req.headers));
  } catch (e) {
    if (!isAppError(e)) throw e;
    return back(`error=${encodeURIComponent(e.userMessage)}`);
  }
  const res = back("done=declined");
  res.cookies.delete({ name: INVITE_COOKIE, path: "/invite" });
  return res;
}
