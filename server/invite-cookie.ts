/**
 * The invitation token between landing and acceptance. The link's token is moved into an httpOnly cookie scoped to
 * /invite and the browser is redirected to a token-free URL, so the secret never stays in the address bar, history,
 * or a Referer header. Form posts under /invite read it back and must come from our own origin.
 */
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

/** A state-changing form post must come from this app (the public URL's origin or the origin it was served on). */
export function isSameOriginPost(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.get("sec-fetch-site") !== "cross-site";
  return origin === new URL(getEnv().publicUrl).origin || origin === new URL(req.url).origin;
}
