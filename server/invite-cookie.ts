/**
 * The invitation token between landing and acceptance. The link's token is moved into an httpOnly cookie scoped to
 * /invite and the browser is redirected to a token-free URL, so the secret never stays in the address bar, history,
 * or a Referer header. Form posts under /invite read it back and must come from our own origin.
 */
import { NextResponse } from "next/server";
import { getEnv } from "./env.ts";

export const INVITE_COOKIE = "roster_invite";
export const INVITE_COOKIE_MAX_AGE = 60 * 60;

export function inviteCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    path: "/invite",
    secure: getEnv().publicUrl.startsWith("https://"),
    maxAge: INVITE_COOKIE_MAX_AGE,
  };
}

/**
 * A state-changing form post must come from this app: its Origin is the public URL's origin or names the host the
 * browser sent the request to. (Only compared, never used to build a link.)
 */
export function isSameOriginPost(req: Request): boolean {
  const origin = req.headers.get("origin");
  // The invitation pages send no referrer, so browsers post with `Origin: null`: Fetch Metadata decides then.
  // (SameSite=Lax cookies already keep a cross-site post from carrying the session or the invitation cookie.)
  if (!origin || origin === "null") {
    const site = req.headers.get("sec-fetch-site");
    return site === null || site === "same-origin";
  }
  if (origin === new URL(getEnv().publicUrl).origin) return true;
  try {
    return new URL(origin).host === req.headers.get("host");
  } catch {
    return false;
  }
}

/**
 * A 303 to a path on this same site. The Location is relative on purpose: the server's own idea of its URL (req.url)
 * may name another host than the one the browser used, and the invitation cookie is bound to the browser's host.
 */
export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });
}
