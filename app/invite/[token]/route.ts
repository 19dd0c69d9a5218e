import type { NextRequest } from "next/server";
import { INVITE_COOKIE, inviteCookieOptions, seeOther } from "@/server/invite-cookie.ts";

/** Landing from an invitation link: keep the token in a cookie, send the browser to the token-free page. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ token: string }> }) {
  const { token } = await ctx.params;
  const res = seeOther("/invite");
  // Only plausible tokens are kept; anything else lands on the same neutral page as a dead link.
  if (/^[A-Za-z0-9_-]{16,200}$/.test(token)) res.cookies.set(INVITE_COOKIE, token, inviteCookieOptions());
  else res.cookies.delete({ name: INVITE_COOKIE, path: "/invite" });
  res.headers.set("Referrer-Policy", "no-referrer");
  res.headers.set("Cache-Control", "no-store");
  return res;
}
