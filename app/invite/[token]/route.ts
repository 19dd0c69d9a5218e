import type { NextRequest } from "next/server";
import { getDb } from "@/server/db/client.ts";
import { getEnv } from "@/server/env.ts";
import { clientIpFrom } from "@/server/security/client-ip.ts";
import { inviteLookupBlockedFor } from "@/server/security/invite-token-guard.ts";
import { clearInviteCookie, inviteCookieName, inviteCookieOptions, seeOther } from "@/server/invite-landing/cookie.ts";

/** Landing from an invitation link: keep the token in a cookie, send the browser to the token-free page. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ token: string }> }) {
  const { token } = await ctx.params;
  // An IP that has tried too many dead links (INVITE_TOKEN_IP, counted where the link is looked up) stops here.
  const blocked = await inviteLookupBlockedFor(await getDb(), clientIpFrom(req.headers, getEnv().trustedProxies));
  if (blocked > 0) {
    return new Response(`Too many invitation links tried. Try again in ${blocked} seconds.\n`, {
      status: 429,
      headers: { "retry-after": String(blocked), "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  }
  const res = seeOther("/invite");
  // Only plausible tokens are kept; anything else lands on the same neutral page as a dead link.
  if (/^[A-Za-z0-9_-]{16,200}$/.test(token)) res.cookies.set(inviteCookieName(), token, inviteCookieOptions());
  else clearInviteCookie(res);
  res.headers.set("Referrer-Policy", "no-referrer");
  res.headers.set("Cache-Control", "no-store");
  return res;
}
