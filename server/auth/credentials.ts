/** Email + password check shared by the sign-in form and POST /api/v1/auth. */
import type { Db } from "../db/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { blockedFor, hit, limit, resetLimit, signInAccountIpKey, signInAccountKey, signInIpKey, tooManyRequests } from "../security/rate-limit.ts";
import { normaliseEmail } from "./email.ts";
import { burnPasswordCheck, verifyPassword } from "./password.ts";

export type VerifiedUser = { id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null };

/**
 * The three sign-in limits (server/security/rate-limit.ts, "Account lock keys"). The pair (account, IP) is the
 * tight one and counts every attempt up front (atomic, so parallel guesses cannot slip past it); a correct password
 * clears it. Ten wrong passwords from one place thus lock that place out, not the owner sitting elsewhere. The
 * per-account ceiling (much slower: a botnet spreading guesses over many IPs still ends) and the per-IP limit (one
 * host spraying many accounts) count failures only, so people signing in from one office never trip them.
 */
async function assertNotLocked(db: Db, email: string, ip: string | null): Promise<void> {
  const now = new Date();
  const retryAfter = Math.max(
    await blockedFor(db, signInIpKey(ip), limit("signInIp"), now),
    await blockedFor(db, signInAccountKey(email), limit("signInAccount"), now),
    await hit(db, signInAccountIpKey(email, ip), limit("signInAccountIp"), now),
  );
  if (retryAfter > 0) throw tooManyRequests(retryAfter);
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
 * the pair's counter. `ip` is the client's (server/security/client-ip.ts), null when unknown.
 */
export async function verifyCredentials(db: Db, rawEmail: string, password: string, opts: { ip?: string | null } = {}): Promise<VerifiedUser> {
  const email = normaliseEmail(rawEmail);
  const ip = opts.ip ?? null;
  const denied = new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Wrong email or password." });
  if (!email || !password || password.length > 256 || email.length > 254) throw denied;
  await assertNotLocked(db, email, ip);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, firstName: true, lastName: true, displayName: true, passwordHash: true, disabledAt: true },
  });
  if (!user?.passwordHash) {
    await burnPasswordCheck(password);
    await countFailure(db, email, ip);
    throw denied;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || user.disabledAt) {
    await countFailure(db, email, ip);
    throw denied;
  }
  await resetLimit(db, signInAccountIpKey(email, ip));
  return { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName, displayName: user.displayName };
}

export const displayNameOf = (u: { displayName: string | null; firstName: string | null; lastName: string | null; email: string }) =>
  u.displayName || [u.firstName, u.lastName].filter(Boolean).join(" ") || u.email;
