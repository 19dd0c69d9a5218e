/**
 * next-auth configuration. Credentials sign-in with JWT strategy (the only one v4 allows for credentials), where the
 * JWT carries the secret of a server-side AuthSession row that is checked on every read: see sessions.ts.
 * Built lazily because the secret and timeouts are resolved at boot, not at build time.
 */
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { clientIpFrom } from "../security/client-ip.ts";
import { displayNameOf } from "./credentials.ts";
import { resolveSession, revokeSessionBySecret, rotateSession } from "./sessions.ts";
import { authorizeSignIn, startSession } from "./sign-in.ts";

class SessionRevoked extends Error {
  override name = "SessionRevoked";
}

declare module "next-auth" {
  interface Session {
    user: { id: number; email: string; name: string };
    /** The AuthSession row id (not a secret): lets the account page mark "this session". */
    sessionId: number;
    /** ISO time the person last entered a password or code in this session (re-authentication freshness). */
    reauthAt?: string;
  }
  interface User {
    /** The sign-in attempt counter to clear with the session's creation (server/auth/sign-in.ts). */
    pairKey?: string | null;
    ip?: string | null;
    userAgent?: string | null;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
    uid?: number;
    sessionId?: number;
    /** Epoch ms, copied from the session row on every read (the row is the truth). */
    reauthAt?: number;
  }
}

const header = (headers: Record<string, unknown> | undefined, name: string): string | null => {
  const v = headers?.[name];
  return typeof v === "string" ? v : null;
};

/** next-auth hands authorize() its headers as a plain object; the client-IP rules (TRUSTED_PROXIES) read a Headers. */
const clientIpOf = (headers: Record<string, unknown> | undefined): string | null => {
  const h = new Headers();
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === "string") h.set(k, v);
  return clientIpFrom(h, getEnv().trustedProxies);
};

let cached: AuthOptions | undefined;

export function getAuthOptions(): AuthOptions {
  if (cached) return cached;
  const env = getEnv();
  const policy = { idleMs: env.sessionIdleMs, maxMs: env.sessionMaxMs };
  cached = {
    secret: env.nextAuthSecret,
    session: { strategy: "jwt", maxAge: Math.floor(env.sessionMaxMs / 1000), updateAge: 0 },
    // Secure, __Secure-/__Host- prefixed cookies exactly when the public URL is https (HttpOnly and SameSite=Lax
    // always: next-auth's defaults). Said explicitly so it follows our env, not next-auth's own reading of the URL.
    useSecureCookies: env.secureCookies,
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        // { email, password } or, for an account with two-factor, { challenge, code } (server/auth/sign-in.ts).
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          challenge: { label: "Challenge", type: "hidden" },
          code: { label: "Code", type: "text" },
        },
        async authorize(credentials, req) {
          const db = await getDb();
          // Known failures are thrown as markers (next-auth turns the message into ?error=...; the form reads them).
          const user = await authorizeSignIn(db, credentials, { ip: clientIpOf(req?.headers) });
          if (!user) return null;
          return {
            id: String(user.id),
            email: user.email,
            name: displayNameOf(user),
            pairKey: user.pairKey ?? null,
            ip: clientIpOf(req?.headers),
            userAgent: header(req?.headers, "user-agent"),
          };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user, trigger, session: update }) {
        const db = await getDb();
        if (user) {
          const uid = Number(user.id);
          const session = await startSession(db, { id: uid }, policy, { ip: user.ip ?? null, userAgent: user.userAgent ?? null, pairKey: user.pairKey ?? null });
          return { sub: user.id, email: user.email, name: user.name, sid: session.secret, uid, sessionId: session.id, reauthAt: session.reauthAt.getTime() };
        }
        // The page asks for a new cookie after a password, two-factor or re-authentication change
        // (app/_components/rotate-session.ts): a new row and secret replace the old ones (sessions.ts rotateSession).
        if (trigger === "update" && (update as { rotate?: unknown } | undefined)?.rotate === true && token.sid) {
          const rotated = await rotateSession(db, token.sid, policy);
          if (!rotated) throw new SessionRevoked("session revoked or expired");
          return { ...token, sid: rotated.secret, uid: rotated.userId, sessionId: rotated.id, reauthAt: rotated.reauthAt.getTime() };
        }
        const live = token.sid ? await resolveSession(db, token.sid, policy) : null;
        if (!live) throw new SessionRevoked("session revoked or expired");
        return { ...token, uid: live.userId, sessionId: live.id, reauthAt: live.reauthAt.getTime() };
      },
      async session({ session, token }) {
        return {
          expires: session.expires,
          user: { id: token.uid ?? 0, email: token.email ?? "", name: token.name ?? "" },
          sessionId: token.sessionId ?? 0,
          ...(token.reauthAt ? { reauthAt: new Date(token.reauthAt).toISOString() } : {}),
        };
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await revokeSessionBySecret(await getDb(), token.sid);
      },
    },
    logger: {
      // A revoked or expired session surfaces as JWT_SESSION_ERROR on every read; it is expected, not an incident.
      error(code, metadata) {
        if (code === "JWT_SESSION_ERROR") return;
        console.error(`[next-auth] ${code}`, metadata instanceof Error ? metadata.message : "");
      },
      warn() {},
      debug() {},
    },
  };
  return cached;
}
