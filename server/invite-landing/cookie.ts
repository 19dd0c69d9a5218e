/**
 * The invitation token between landing and acceptance. The link's token is moved into an httpOnly cookie scoped to
 * /invite and the browser is redirected to a token-free URL, so the secret never stays in the address bar, history,
 * or a Referer header. Form posts under /invite read it back and must come from our own origin.
 */
import { NextResponse } from "next/server";
import { getEnv } from "../env.ts";

export const INVITE_COOKIE_MAX_AGE = 60 * 60;
const INVITE_COOKIE_PATH = "/invite";

/**
 * The cookie's name: `__Secure-` prefixed when the public URL is https, so a browser only accepts it over TLS and with
 * Secure (not `__Host-`, which would force Path=/ and send the token to every page).
 */
export function inviteCookieName(): string {
  return getEnv().secureCookies ? "__Secure-roster_invite" : "roster_invite";
}

export function inviteCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    path: INVITE_COOKIE_PATH,
    secure: getEnv().secureCookies,
    maxAge: INVITE_COOKIE_MAX_AGE,
  };
}

/** The invitation token the browser holds, if any. */
export function readInviteCookie(jar: { get(name: string): { value: string } | undefined }): string | undefined {
  return jar.get(inviteCookieName())?.value;
}

/** Removes the cookie; with the same attributes, or a browser refuses to overwrite a `__Secure-` cookie. */
export function clearInviteCookie(res: NextResponse): void {
  res.cookies.set(inviteCookieName(), "", { ...inviteCookieOptions(), maxAge: 0 });
}

/**
 * A 303 to a path on this same site. The Location is relative on purpose: the server's own idea of its URL (req.url)
 * may name another host than the one the browser used, and the invitation cookie is bound to the browser's host.
 */
export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });
}
