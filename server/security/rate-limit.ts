/**
 * Fixed-window rate limits kept in the database, so every app instance on one PostgreSQL shares the counters
 * (no in-process maps: instances are stateless). One statement per check.
 *
 * Every limit has a NAME and can be changed with `RATE_LIMIT_<NAME>=points/seconds` (server/env.ts reads them), so
 * operators, the benchmark and the test sweeps can set their own. The defaults and what each one counts are listed
 * in README.md and SECURITY.md; keep the three in step.
 */
import type { Db, Tx } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { likeLiteral } from "../services/like.ts";

export type Limit = { name: string; points: number; windowMs: number };

const min = 60_000;

/** The defaults; `limit(name)` applies the RATE_LIMIT_<NAME> override. */
export const LIMITS = {
  /** Sign-in attempts for one account from one IP (a correct password clears it). */
  signInAccountIp: { name: "SIGNIN_ACCOUNT_IP", points: 10, windowMs: 15 * min },
  /** Wrong passwords for one account from anywhere: slower, so nobody locks an owner out from many IPs quickly; the reset email lifts it. */
  signInAccount: { name: "SIGNIN_ACCOUNT", points: 100, windowMs: 60 * min },
  /** Wrong passwords from one IP, whatever the account (failures only: an office behind one IP signs in freely). */
  signInIp: { name: "SIGNIN_IP", points: 100, windowMs: 15 * min },
  /** Password-reset emails asked for one address (known or not: the key is the typed address, so both answer alike). */
  resetEmail: { name: "RESET_EMAIL", points: 5, windowMs: 60 * min },
  /** Verification emails for one address (resends from the account page; sign-ups and requests that create accounts). */
  verifyEmail: { name: "VERIFY_EMAIL", points: 5, windowMs: 60 * min },
  /** Sign-ups (invitation or join page) per email. */
  signUpPerEmail: { name: "SIGNUP_EMAIL", points: 5, windowMs: 60 * min },
  /** Wrong two-factor codes for one account (sign-in code step, re-auth, POST /api/v1/auth): then the code step locks. */
  totpUser: { name: "TOTP_USER", points: 10, windowMs: 15 * min },
  /** Wrong passwords typed into the re-authentication prompt of one account. */
  reauthUser: { name: "REAUTH_USER", points: 10, windowMs: 15 * min },
  /** REST calls per API token (a partner's pair calls count against the partner): one integration cannot starve the rest. */
  restToken: { name: "REST_TOKEN", points: 600, windowMs: 1 * min },
  /** Failed bearer-token authentications from one IP: token guessing. */
  tokenAuthFailIp: { name: "TOKEN_AUTH_FAIL_IP", points: 30, windowMs: 5 * min },
  /** tRPC procedure calls per signed-in user; each call of a batch counts. */
  trpcUser: { name: "TRPC_USER", points: 600, windowMs: 1 * min },
  /** tRPC procedure calls without a session, per IP; each call of a batch counts. */
  trpcIp: { name: "TRPC_IP", points: 300, windowMs: 1 * min },
  /** Invitation-token lookups that found nothing, per IP (landing, preview, accept, the invitation form posts). */
  inviteTokenIp: { name: "INVITE_TOKEN_IP", points: 20, windowMs: 10 * min },
  /** Invitations created per tenant (single, bulk and client invitations alike; one bulk call may hold 1000). */
  invitesTenant: { name: "INVITES_TENANT", points: 1000, windowMs: 60 * min },
} satisfies Record<string, Limit>;

export type LimitKey = keyof typeof LIMITS;

/** A limit with its RATE_LIMIT_<NAME> override applied. */
export function limit(key: LimitKey): Limit {
  const base = LIMITS[key];
  const override = getEnv().rateLimits[base.name];
  return override ? { name: base.name, ...override } : base;
}

/** Names of every limit, for boot-time validation of RATE_LIMIT_* variables and the docs. */
export const LIMIT_NAMES: ReadonlySet<string> = new Set(Object.values(LIMITS).map((l) => l.name));

/**
 * Counts one hit (or `cost` points, e.g. one per item of a bulk call) on `key`; returns how many seconds until the
 * window resets when the limit is exceeded, else 0.
 */
export async function hit(db: Db, key: string, limit: Pick<Limit, "points" | "windowMs">, now = new Date(), cost = 1): Promise<number> {
  const resetAt = new Date(now.getTime() + limit.windowMs);
  const rows = await db.$queryRaw<{ points: number; resetAt: Date }[]>`
    INSERT INTO "RateLimit" ("key", "points", "resetAt") VALUES (${key}, ${cost}, ${resetAt})
    ON CONFLICT ("key") DO UPDATE SET
      "points" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN ${cost} ELSE "RateLimit"."points" + ${cost} END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
    RETURNING "points", "resetAt"`;
  const row = rows[0];
  if (!row || row.points <= limit.points) return 0;
  return Math.max(1, Math.ceil((new Date(row.resetAt).getTime() - now.getTime()) / 1000));
}

export const tooManyRequests = (retryAfter: number, what = "attempts") =>
  new AppError(AppErrorCode.TOO_MANY_REQUESTS, { userMessage: `Too many ${what}. Try again in ${retryAfter} seconds.`, retryAfter });

/** Like `hit`, but throws TOO_MANY_REQUESTS with Retry-After; `what` names what was counted in the message. */
export async function enforce(db: Db, key: string, limit: Pick<Limit, "points" | "windowMs">, opts: { cost?: number; what?: string } = {}): Promise<void> {
  const retryAfter = await hit(db, key, limit, new Date(), opts.cost ?? 1);
  if (retryAfter > 0) throw tooManyRequests(retryAfter, opts.what);
}

/** Seconds until `key` may be used again (without counting a hit), or 0. */
export async function blockedFor(db: Db, key: string, limit: Pick<Limit, "points">, now = new Date()): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key }, select: { points: true, resetAt: true } });
  if (!row || row.resetAt <= now || row.points < limit.points) return 0;
  return Math.max(1, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000));
}

/*
 * Account lock keys. Sign-in counters are keyed by the normalised email as typed (so an unknown address is throttled
 * exactly like a known one, and nobody learns which exist):
 *   signin:acct:<email>            every sign-in attempt for the account from anywhere (LIMITS.signInAccount)
 *   signin:acct:<email>:ip:<ip>    attempts for the account from one IP (LIMITS.signInAccountIp)
 *   signin:ip:<ip>                 attempts from one IP, whatever the account (LIMITS.signInIp; not an account key)
 * Two-factor counters of the account start with `2fa:<userId>` (server/auth/two-factor.ts), re-authentication ones
 * with `reauth:<userId>`. A password reset (the emailed link proves the mailbox) deletes every key of these account
 * prefixes: `clearAccountLocks`.
 */
export const signInAccountKey = (email: string) => `signin:acct:${email}`;
export const signInAccountIpKey = (email: string, ip: string | null) => `signin:acct:${email}:ip:${ip ?? "unknown"}`;
export const signInIpKey = (ip: string | null) => `signin:ip:${ip ?? "unknown"}`;

/** Lifts every sign-in and two-factor lock of one account (after a password reset). */
export async function clearAccountLocks(db: Db | Tx, user: { id: number; email: string }): Promise<void> {
  const prefixes = [signInAccountKey(user.email), `2fa:${user.id}`, `reauth:${user.id}`];
  // startsWith is a LIKE pattern: `_` in an email must match only itself.
  await db.rateLimit.deleteMany({ where: { OR: prefixes.flatMap((k) => [{ key: k }, { key: { startsWith: `${likeLiteral(k)}:` } }]) } });
}

export async function resetLimit(db: Db, key: string | string[]): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key: { in: Array.isArray(key) ? key : [key] } } });
}
