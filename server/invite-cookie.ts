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
 * A 303 to a path on this same site. The Location is relative on purpose: the server's own idea of its URL (req.url)
 * may name another host than the one the browser used, and the invitation cookie is bound to the browser's host.
 */
export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });
}
