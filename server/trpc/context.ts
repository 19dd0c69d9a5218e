/**
 * Per-request context: the database, the session (already checked against its server-side row) and request
 * metadata for the audit log. Tests build the same shape directly.
 */
import crypto from "node:crypto";
import type { Session } from "next-auth";
import type { RequestMeta } from "../authz/actor.ts";
import type { Db } from "../db/client.ts";

export type Context = { db: Db; session: Session | null; meta: RequestMeta };

export function metaFromHeaders(headers: Headers): RequestMeta {
  return {
    ip: headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null,
    userAgent: headers.get("user-agent"),
    requestId: crypto.randomUUID(),
  };
}

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const [{ getDb }, { auth }] = await Promise.all([import("../db/client.ts"), import("../auth/index.ts")]);
  const [db, session] = await Promise.all([getDb(), auth()]);
  return { db, session, meta: metaFromHeaders(opts.headers) };
}
