/**
 * Per-request context: the database, the session (already checked against its server-side row) and request
 * metadata for the audit log. Tests build the same shape directly.
 */
import crypto from "node:crypto";
import type { Session } from "next-auth";
import type { RequestMeta } from "../authz/actor.ts";
import type { Db } from "../db/client.ts";
import { databaseUnavailable } from "../db/unavailable.ts";
import { getEnv } from "../env.ts";
import { clientIpFrom } from "../security/client-ip.ts";

/** next-auth's session cookie, plain or __Secure- prefixed, whole or chunked (`.0`, `.1`, ...). */
const SESSION_COOKIE = /(^|;\s*)(__Secure-)?next-auth\.session-token(\.\d+)?=/;

export type Context = { db: Db; session: Session | null; meta: RequestMeta };

export function metaFromHeaders(headers: Headers): RequestMeta {
  return {
    ip: clientIpFrom(headers, getEnv().trustedProxies),
    userAgent: headers.get("user-agent"),
    requestId: crypto.randomUUID(),
  };
}

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const [{ getDb, pingDatabase }, { auth }] = await Promise.all([import("../db/client.ts"), import("../auth/index.ts")]);
  const [db, session] = await Promise.all([getDb(), auth()]);
  // auth() answers null when the session row cannot be read, also while the database is down; a request that carries
  // a session cookie then gets 503 (retry), not 401 (which would send a signed-in person to the sign-in page).
  if (!session && SESSION_COOKIE.test(opts.headers.get("cookie") ?? "") && !(await pingDatabase(db, 2_000))) {
    throw databaseUnavailable();
  }
  return { db, session, meta: metaFromHeaders(opts.headers) };
}
