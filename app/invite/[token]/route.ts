import type { NextRequest } from "next/server";
import { clearInviteCookie, inviteCookieName, inviteCookieOptions, seeOther } from "@/server/invite-cookie.ts";

/** Landing from an invitation link: keep the token in a cookie, send the browser to the token-free page. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ token: string }> }) {
  const { token } = await ctx.params;
  const res = seeOther("/invite");
  // Only plausible tokens are kept; anything else lands on the same neutral page as a dead link.
  if (/^[A-Za-z0-9_-]{16,200}$/.test(token)) res.cookies.set(inviteCookieName(), token, inviteCookieOptions());
  else clearInviteCookie(res);
  res.headers.set("Referrer-Policy", "no-referrer");
  res.headers.set("Cache-Control", "no-store");
  return res;
}
