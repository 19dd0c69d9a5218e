/** Email + password check shared by the sign-in form and POST /api/v1/auth. */
import type { Db } from "../db/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { hit, limit, resetLimit, signInAccountIpKey, signInAccountKey, signInIpKey, tooManyRequests } from "../security/rate-limit.ts";
import { normaliseEmail } from "./email.ts";
import { burnPasswordCheck, verifyPassword } from "./password.ts";

export type VerifiedUser = { id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null };

/**
 * The three sign-in limits (server/security/rate-limit.ts, "Account lock keys"). The pair (account, IP) is the
 * tight one and counts every attempt up front (atomic, so parallel guesses cannot slip past it); a correct password
 * clears it. Ten wrong passwords from one place thus lock that place out, not the owner sitting elsewhere. The
 * per-account ceiling (much slower: a botnet spreading guesses over many IPs still ends) and the per-IP limit (one
 * host spraying many accounts) count failures only, so people signing in from one office never trip them.
 *
 * One statement reads both failure counters, counts the pair's attempt and finds the account (with whether it has
 * two-factor): a sign-in was six round trips before the password was even checked.
 */
type AttemptRow = {
  ipPoints: number | null; ipResetAt: Date | null; acctPoints: number | null; acctResetAt: Date | null;
  pairPoints: number; pairResetAt: Date;
  id: number | null; email: string | null; firstName: string | null; lastName: string | null; displayName: string | null;
  passwordHash: string | null; disabled: boolean | null; twoFactor: boolean | null;
};

async function countAttempt(db: Db, email: string, ip: string | null, now: Date): Promise<AttemptRow> {
  const pair = limit("signInAccountIp");
  const pairReset = new Date(now.getTime() + pair.windowMs);
  const rows = await db.$queryRaw<AttemptRow[]>`
    WITH pair AS (
      INSERT INTO "RateLimit" ("key", "points", "resetAt") VALUES (${signInAccountIpKey(email, ip)}, 1, ${pairReset})
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN 1 ELSE "RateLimit"."points" + 1 END,
        "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
      RETURNING "points", "resetAt"
    )
    SELECT ipl.points AS "ipPoints", ipl."resetAt" AS "ipResetAt", acl.points AS "acctPoints", acl."resetAt" AS "acctResetAt",
           pair.points AS "pairPoints", pair."resetAt" AS "pairResetAt",
           u.id, u.email, u."firstName", u."lastName", u."displayName", u."passwordHash", u."disabledAt" IS NOT NULL AS disabled,
           EXISTS (SELECT 1 FROM "TwoFactor" f WHERE f."userId" = u.id AND f."enabledAt" IS NOT NULL) AS "twoFactor"
      FROM pair
      LEFT JOIN "RateLimit" ipl ON ipl.key = ${signInIpKey(ip)}
      LEFT JOIN "RateLimit" acl ON acl.key = ${signInAccountKey(email)}
      LEFT JOIN "User" u ON u.email = ${email}`;
  return rows[0]!;
}

/** Seconds a failure counter still blocks (the `blockedFor` rule), 0 when it does not. */
function blocking(points: number | null, resetAt: Date | null, max: number, now: Date): number {
  if (points === null || resetAt === null) return 0;
  const reset = new Date(resetAt).getTime();
  if (reset <= now.getTime() || points < max) return 0;
  return Math.max(1, Math.ceil((reset - now.getTime()) / 1000));
}

async function countFailure(db: Db, email: string, ip: string | null): Promise<void> {
  const now = new Date();
  await hit(db, signInIpKey(ip), limit("signInIp"), now);
  await hit(db, signInAccountKey(email), limit("signInAccount"), now);
}

/**
 * Returns the user when the password matches, or throws UNAUTHORIZED with one message for every failure (unknown
 * email, wrong password, disabled account, no password yet), so the answer never tells which accounts exist.
 * Attempts are throttled per (account, IP), per account and per IP (TOO_MANY_REQUESTS); a correct password clears
 * the pair's counter (unless `keepPairCounter`: the caller clears it in its own next statement, startSession).
 * `ip` is the client's (server/security/client-ip.ts), null when unknown.
 */
export async function verifyCredentials(
  db: Db,
  rawEmail: string,
  password: string,
  opts: { ip?: string | null; keepPairCounter?: boolean } = {},
): Promise<VerifiedUser & { twoFactor: boolean; pairKey: string }> {
  const email = normaliseEmail(rawEmail);
  const ip = opts.ip ?? null;
  const denied = new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Wrong email or password." });
  if (!email || !password || password.length > 256 || email.length > 254) throw denied;
  const now = new Date();
  const row = await countAttempt(db, email, ip, now);
  const pair = limit("signInAccountIp");
  const pairRetry = row.pairPoints <= pair.points ? 0 : Math.max(1, Math.ceil((new Date(row.pairResetAt).getTime() - now.getTime()) / 1000));
  const retryAfter = Math.max(
    blocking(row.ipPoints, row.ipResetAt, limit("signInIp").points, now),
    blocking(row.acctPoints, row.acctResetAt, limit("signInAccount").points, now),
    pairRetry,
  );
  if (retryAfter > 0) throw tooManyRequests(retryAfter);
  if (row.id === null || !row.passwordHash) {
    await burnPasswordCheck(password);
    await countFailure(db, email, ip);
    throw denied;
  }
  const ok = await verifyPassword(row.passwordHash, password);
  if (!ok || row.disabled) {
    await countFailure(db, email, ip);
    throw denied;
  }
  const pairKey = signInAccountIpKey(email, ip);
  if (!opts.keepPairCounter) await resetLimit(db, pairKey);
  return {
    id: row.id, email: row.email!, firstName: row.firstName, lastName: row.lastName, displayName: row.displayName,
    twoFactor: !!row.twoFactor, pairKey,
  };
}

export const displayNameOf = (u: { displayName: string | null; firstName: string | null; lastName: string | null; email: string }) =>
  u.displayName || [u.firstName, u.lastName].filter(Boolean).join(" ") || u.email;
