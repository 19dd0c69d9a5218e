/**
 * next-auth configuration. Credentials sign-in with JWT strategy (the only one v4 allows for credentials), where the
 * JWT carries the secret of a server-side AuthSession row that is checked on every read: see sessions.ts.
 * Built lazily because the secret and timeouts are resolved at boot, not at build time.
 */
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { isAppError } from "../errors.ts";
import { clientIpFrom } from "../security/client-ip.ts";
import { displayNameOf, verifyCredentials } from "./credentials.ts";
import { createSessionRow, resolveSession, revokeSessionBySecret } from "./sessions.ts";

class SessionRevoked extends Error {
  override name = "SessionRevoked";
}

declare module "next-auth" {
  interface Session {
    user: { id: number; email: string; name: string };
    /** The AuthSession row id (not a secret): lets the account page mark "this session". */
    sessionId: number;
  }
  interface User {
    ip?: string | null;
    userAgent?: string | null;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
    uid?: number;
    sessionId?: number;
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
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const db = await getDb();
          try {
            const user = await verifyCredentials(db, credentials?.email ?? "", credentials?.password ?? "");
            return {
              id: String(user.id),
              email: user.email,
              name: displayNameOf(user),
              ip: clientIpOf(req?.headers),
              userAgent: header(req?.headers, "user-agent"),
            };
          } catch (e) {
            // next-auth turns a thrown error's message into ?error=...; the sign-in page shows known ones.
            if (isAppError(e) && e.code === "TOO_MANY_REQUESTS") throw new Error("RateLimited");
            if (isAppError(e)) return null;
            throw e;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        const db = await getDb();
        if (user) {
          const uid = Number(user.id);
          const session = await createSessionRow(db, uid, policy, { ip: user.ip ?? null, userAgent: user.userAgent ?? null });
          await db.user.update({ where: { id: uid }, data: { lastLoginAt: new Date() } });
          return { sub: user.id, email: user.email, name: user.name, sid: session.secret, uid, sessionId: session.id };
        }
        const live = token.sid ? await resolveSession(db, token.sid, policy) : null;
        if (!live) throw new SessionRevoked("session revoked or expired");
        return { ...token, uid: live.userId, sessionId: live.id };
      },
      async session({ session, token }) {
        return {
          expires: session.expires,
          user: { id: token.uid ?? 0, email: token.email ?? "", name: token.name ?? "" },
          sessionId: token.sessionId ?? 0,
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
