/**
 * Signs a person in without the sign-in form: a new AuthSession row (startSession, as every sign-in) and next-auth's
 * session cookie sealed with next-auth's own `encode`, carrying exactly what the jwt callback of options.ts puts in
 * a token, so every later read (getServerSession, the tRPC context's decodeSessionToken) treats it like any other.
 * Only for a moment that proved who the person is as strongly as a password sign-in: creating the account from an
 * invitation link (the password was just chosen, and the link proved the mailbox).
 */
import { encode } from "next-auth/jwt";
import type { Db } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { displayNameOf } from "./credentials.ts";
import { sessionCookieName } from "./session-cookie.ts";
import { startSession } from "./sign-in.ts";

export type SessionCookie = {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; maxAge: number };
};

export async function issueSessionCookie(
  db: Db,
  user: { id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null },
  meta: { ip: string | null; userAgent: string | null },
): Promise<SessionCookie> {
  const env = getEnv();
  const session = await startSession(db, { id: user.id }, { idleMs: env.sessionIdleMs, maxMs: env.sessionMaxMs }, meta);
  const maxAge = Math.floor(env.sessionMaxMs / 1000);
  const value = await encode({
    secret: env.nextAuthSecret,
    maxAge,
    token: {
      sub: String(user.id), email: user.email, name: displayNameOf(user),
      sid: session.secret, uid: user.id, sessionId: session.id, reauthAt: session.reauthAt.getTime(),
    },
  });
  return { name: sessionCookieName(env.secureCookies), value, options: { httpOnly: true, sameSite: "lax", path: "/", secure: env.secureCookies, maxAge } };
}
