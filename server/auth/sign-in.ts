/**
 * The two steps of a browser sign-in, behind next-auth's Credentials `authorize()`:
 *   1. `{ email, password }`: a correct password for an account without two-factor signs in. For an account with
 *      two-factor it issues a challenge instead and no session: authorize throws `TwoFactorRequired:<challenge>`,
 *      which next-auth hands to `signIn(..., { redirect: false })` as `error` (the form reads it there).
 *   2. `{ challenge, code }`: a current TOTP or a recovery code for the challenge's user; only this creates the session.
 * Thrown messages are the markers the sign-in form understands (next-auth puts them in `?error=`); nothing secret
 * or account-specific goes into them except the challenge, which is useless without the second factor.
 * "Remember this device" is deliberately not offered.
 */
import type { Db } from "../db/client.ts";
import { appLink, newDeviceSignInEmail, queueEmail } from "../email/index.ts";
import { isAppError } from "../errors.ts";
import { displayNameOf, verifyCredentials, type VerifiedUser } from "./credentials.ts";
import { resetLimit } from "../security/rate-limit.ts";
import { hashSecret } from "./secrets.ts";
import { createSessionRow, deviceOf, newSessionSecret, type SessionPolicy } from "./sessions.ts";
import { challengeExpired, consumeChallenge, findChallenge, issueChallenge, verifySecondFactor } from "./two-factor.ts";

export const SIGN_IN_ERRORS = {
  rateLimited: "RateLimited",
  missing: "MissingCredentials",
  twoFactorRequired: "TwoFactorRequired",
  wrongCode: "TwoFactorInvalid",
  locked: "TwoFactorLocked",
  expired: "TwoFactorExpired",
} as const;

export class SignInStepError extends Error {
  override name = "SignInStepError";
}

type Input = Record<string, unknown> | undefined;
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The user to sign in, or throws a SignInStepError whose message is a marker; null for wrong credentials. */
export async function authorizeSignIn(db: Db, credentials: Input, meta: { ip?: string | null } = {}): Promise<(VerifiedUser & { pairKey?: string }) | null> {
  const challenge = str(credentials?.challenge);
  try {
    if (challenge) return await codeStep(db, challenge, str(credentials?.code));
    // Nothing typed is not a wrong password (and costs no throttle hit): the form says what is missing.
    if (!str(credentials?.email).trim() || !str(credentials?.password)) throw new SignInStepError(SIGN_IN_ERRORS.missing);
    // The client IP keys the (account, IP) sign-in throttle (credentials.ts).
    // The pair counter a correct password clears is cleared by startSession's statement (one round trip less).
    const { twoFactor, pairKey, ...user } = await verifyCredentials(db, str(credentials?.email), str(credentials?.password), { ip: meta.ip ?? null, keepPairCounter: true });
    if (twoFactor) {
      await resetLimit(db, pairKey);
      throw new SignInStepError(`${SIGN_IN_ERRORS.twoFactorRequired}:${await issueChallenge(db, user.id)}`);
    }
    return { ...user, pairKey };
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.reason === "TWO_FACTOR_LOCKED") throw new SignInStepError(`${SIGN_IN_ERRORS.locked}:${e.retryAfter ?? 900}`);
    if (e.code === "TOO_MANY_REQUESTS") throw new SignInStepError(SIGN_IN_ERRORS.rateLimited);
    if (e.reason === "CHALLENGE_EXPIRED") throw new SignInStepError(SIGN_IN_ERRORS.expired);
    if (e.reason === "TWO_FACTOR_INVALID") throw new SignInStepError(SIGN_IN_ERRORS.wrongCode);
    return null;
  }
}

async function codeStep(db: Db, challenge: string, code: string): Promise<VerifiedUser> {
  const found = await findChallenge(db, challenge);
  // A wrong code leaves the challenge usable (the person retypes); the limiter bounds the guesses.
  await verifySecondFactor(db, found.userId, code);
  if (!(await consumeChallenge(db, found.id))) throw challengeExpired();
  const user = await db.user.findUnique({
    where: { id: found.userId },
    select: { id: true, email: true, firstName: true, lastName: true, displayName: true, disabledAt: true },
  });
  if (!user || user.disabledAt) throw challengeExpired();
  return { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName, displayName: user.displayName };
}

export const NEW_DEVICE_WINDOW_MS = 90 * 86_400_000;

/**
 * Creates the session row of a completed sign-in, records the sign-in time and clears the sign-in attempt counter
 * (`pairKey`) — one statement when the browser and OS pair was seen in this user's sessions of the last 90 days
 * (the common case). Otherwise nothing was written and the session is created in a transaction with a "new sign-in"
 * email. The very first sign-in of an account (no earlier session at all) sends none: every device is new then,
 * and the person is there.
 */
export async function startSession(
  db: Db,
  user: { id: number },
  policy: SessionPolicy,
  meta: { ip: string | null; userAgent: string | null; pairKey?: string | null },
  now = new Date(),
): Promise<{ secret: string; id: number; reauthAt: Date; newDevice: boolean }> {
  const device = deviceOf(meta.userAgent);
  const since = new Date(now.getTime() - NEW_DEVICE_WINDOW_MS);
  const secret = newSessionSecret();
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  const rows = await db.$queryRaw<Array<{ id: number | null }>>`
    WITH prior AS (
      SELECT count(*) FILTER (WHERE a.device = ${device} AND a."createdAt" >= ${since})::int AS seen, count(*)::int AS "any"
        FROM "AuthSession" a WHERE a."userId" = ${user.id}
    ), ins AS (
      INSERT INTO "AuthSession" ("userId", "tokenHash", "expiresAt", "reauthAt", "createdAt", "lastSeenAt", "device", "ip", "userAgent")
      SELECT ${user.id}, ${hashSecret(secret)}, ${expiresAt}, ${now}, ${now}, ${now}, ${device}, ${meta.ip?.slice(0, 100) ?? null}, ${meta.userAgent?.slice(0, 500) ?? null}
        FROM prior WHERE ${device}::text IS NULL OR prior.seen > 0 OR prior."any" = 0
      RETURNING id
    ), signed AS (
      UPDATE "User" SET "lastLoginAt" = ${now} WHERE id = ${user.id} AND EXISTS (SELECT 1 FROM ins) RETURNING id
    ), cleared AS (
      DELETE FROM "RateLimit" WHERE "key" = ${meta.pairKey ?? null} AND EXISTS (SELECT 1 FROM ins) RETURNING "key"
    )
    SELECT (SELECT id FROM ins) AS id`;
  const id = rows[0]?.id ?? null;
  if (id !== null) return { secret, id, reauthAt: now, newDevice: false };
  const message = await newDeviceEmail(db, user.id, device!, meta.ip, now);
  return db.$transaction(async (tx) => {
    const row = await createSessionRow(tx, user.id, policy, meta);
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    if (meta.pairKey) await tx.rateLimit.deleteMany({ where: { key: meta.pairKey } });
    await queueEmail(tx, message);
    return { secret: row.secret, id: row.id, reauthAt: row.reauthAt, newDevice: true };
  });
}

async function newDeviceEmail(db: Db, userId: number, device: string, ip: string | null, when: Date) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, firstName: true, lastName: true, displayName: true } });
  const rendered = await newDeviceSignInEmail({ name: displayNameOf(user), device, ip, when, sessionsUrl: appLink("/account") });
  return { to: user.email, ...rendered, kind: "new_device_sign_in" as const, refType: "user", refId: String(userId) };
}
