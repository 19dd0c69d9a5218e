/**
 * Per-request context: the database, request metadata for the audit log, and what it takes to resolve the caller.
 *
 * The session is not read here: createContext only decrypts next-auth's cookie (no database) to learn the session
 * secret; the first middleware (init.ts) resolves the session row, counts the call against the caller's rate limit
 * and loads the acting membership of the tenant the input names, all in one statement (server/authz/context-query.ts).
 * Tests hand a session that is already verified instead (`session` set, no secret): it is re-read by its id.
 */
import crypto from "node:crypto";
import type { Session } from "next-auth";
import type { RequestMeta } from "../authz/actor.ts";
import { loadMemberRow, resolveRequestRow, type MemberRow, type SessionLookup } from "../authz/context-query.ts";
import { hashSecret } from "../auth/secrets.ts";
import { decodeSessionToken, sessionCookieName } from "../auth/session-cookie.ts";
import { getDb, type Db } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { clientIpFrom } from "../security/client-ip.ts";
import { hit, limit } from "../security/rate-limit.ts";

/** What the cookie says, before the database confirms it. */
type CookieSession = { secret: string; email: string; name: string };

/** Shared by every call of one HTTP request (a batch, or a page's server-side calls). */
type RequestMemo = { resolved?: Promise<ResolvedCaller>; members: Map<string, Promise<MemberRow | null>> };

export type Context = {
  db: Db;
  meta: RequestMeta;
  /** The verified session: null until the first middleware resolves it (or given verified by a test). */
  session: Session | null;
  /** From next-auth's cookie (HTTP and server components); absent when the caller handed a verified session. */
  cookieSession?: CookieSession | null;
  memo?: RequestMemo;
};

export function metaFromHeaders(headers: Headers): RequestMeta {
  return {
    ip: clientIpFrom(headers, getEnv().trustedProxies),
    userAgent: headers.get("user-agent"),
    requestId: crypto.randomUUID(),
  };
}

/** next-auth's session cookie, plain or __Secure- prefixed, whole or chunked (`.0`, `.1`, ...), joined in order. */
export function sessionCookieValue(cookieHeader: string | null, secure: boolean): string | null {
  if (!cookieHeader) return null;
  const name = sessionCookieName(secure);
  const chunks: Array<[number, string]> = [];
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (key === name) chunks.push([0, part.slice(eq + 1).trim()]);
    else if (key.startsWith(`${name}.`) && /^\d+$/.test(key.slice(name.length + 1))) chunks.push([Number(key.slice(name.length + 1)), part.slice(eq + 1).trim()]);
  }
  if (!chunks.length) return null;
  return chunks.sort((a, b) => a[0] - b[0]).map(([, v]) => decodeURIComponent(v)).join("");
}

async function readCookieSession(headers: Headers): Promise<CookieSession | null> {
  const env = getEnv();
  const token = sessionCookieValue(headers.get("cookie"), env.secureCookies);
  if (!token) return null;
  // Tampered, sealed under another secret or expired: no session.
  const jwt = await decodeSessionToken(token, env.nextAuthSecret);
  if (!jwt || typeof jwt.sid !== "string") return null;
  return { secret: jwt.sid, email: typeof jwt.email === "string" ? jwt.email : "", name: typeof jwt.name === "string" ? jwt.name : "" };
}

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const [db, cookieSession] = await Promise.all([getDb(), readCookieSession(opts.headers)]);
  return { db, session: null, cookieSession, meta: metaFromHeaders(opts.headers), memo: { members: new Map() } };
}

export type ResolvedCaller = {
  session: Session | null;
  /** The acting membership of `tenantSlug` when the call named one. */
  tenantSlug: string | null;
  member: MemberRow | null;
  /** Seconds until the caller may call again; 0 when this call is within its limit. */
  retryAfter: number;
};

const SESSION_TOUCH_MS = 60_000;

const retryAfterOf = (points: number, resetAt: Date, max: number, now: Date) =>
  points <= max ? 0 : Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));

/**
 * Who is calling, with this call counted against their limit. The first call of a request costs one statement (the
 * session, the counter and the membership together); later calls of the same request reuse the session and pay one
 * counter hit, plus one statement for a tenant not loaded yet.
 */
export async function resolveCaller(ctx: Context, tenantSlug: string | null): Promise<ResolvedCaller> {
  // A test's caller object lives across calls: without a request memo every call resolves afresh.
  const memo: RequestMemo = ctx.memo ?? { members: new Map() };
  const now = new Date();
  if (memo.resolved) {
    const first = await memo.resolved;
    const userId = first.session?.user.id;
    const retryAfter = userId
      ? await hit(ctx.db, `trpc:user:${userId}`, limit("trpcUser"), now)
      : await hit(ctx.db, `trpc:ip:${ctx.meta.ip ?? "unknown"}`, limit("trpcIp"), now);
    let member: MemberRow | null = null;
    if (userId && tenantSlug) {
      if (tenantSlug === first.tenantSlug) member = first.member;
      else {
        if (!memo.members.has(tenantSlug)) memo.members.set(tenantSlug, loadMemberRow(ctx.db, userId, { tenantSlug }));
        member = await memo.members.get(tenantSlug)!;
      }
    }
    return { session: first.session, tenantSlug, member, retryAfter };
  }
  memo.resolved = resolveFirst(ctx, tenantSlug, now);
  try {
    return await memo.resolved;
  } catch (e) {
    delete memo.resolved; // a database outage must not poison the rest of the batch's answers with a stale promise
    throw e;
  }
}

async function resolveFirst(ctx: Context, tenantSlug: string | null, now: Date): Promise<ResolvedCaller> {
  const env = getEnv();
  const lookup: SessionLookup | null = ctx.cookieSession
    ? { tokenHash: hashSecret(ctx.cookieSession.secret) }
    : ctx.session
      ? { sessionId: ctx.session.sessionId }
      : null;
  const userLimit = limit("trpcUser");
  const ipLimit = limit("trpcIp");
  const row = await resolveRequestRow(ctx.db, {
    session: lookup,
    now,
    idleMs: env.sessionIdleMs,
    touchMs: SESSION_TOUCH_MS,
    userKeyPrefix: "trpc:user:",
    anonymousKey: `trpc:ip:${ctx.meta.ip ?? "unknown"}`,
    userWindowMs: userLimit.windowMs,
    anonymousWindowMs: ipLimit.windowMs,
    tenant: tenantSlug ? { tenantSlug } : null,
  });
  const live = row.sessionId !== null && row.userId !== null;
  const named = ctx.cookieSession ?? (ctx.session ? { email: ctx.session.user.email, name: ctx.session.user.name } : null);
  const session: Session | null = live
    ? {
        user: { id: row.userId!, email: named?.email ?? "", name: named?.name ?? "" },
        sessionId: row.sessionId!,
        expires: row.expiresAt!.toISOString(),
        ...(row.reauthAt ? { reauthAt: row.reauthAt.toISOString() } : {}),
      }
    : null;
  const retryAfter = retryAfterOf(row.points, row.resetAt, live ? userLimit.points : ipLimit.points, now);
  return { session, tenantSlug, member: live ? row.member : null, retryAfter };
}
