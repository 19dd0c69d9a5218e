/**
 * Two-factor mechanics: TOTP (RFC 6238 through otplib: 6 digits, 30-second steps, SHA-1, what every authenticator
 * app speaks), single-use recovery codes, and the sign-in challenge that sits between a correct password and the
 * code step. The use cases a person triggers (enrol, disable, regenerate) live in server/services/account/.
 *
 * - The TOTP seed must be read back, so it is encrypted (AES-256-GCM, server/security/encryption.ts) with the
 *   context `totp:<userId>`: a ciphertext copied to another user's row does not decrypt.
 * - A code is good once: the accepted time step is stored (`lastUsedStep`) and a code from that step or an earlier
 *   one is refused, with a conditional update so two concurrent uses of one code cannot both pass.
 * - Recovery codes carry 80 random bits, so a fast hash (SHA-256) is right: there is nothing to brute-force.
 * - Wrong codes count per account (`2fa:<userId>`, limit TOTP_USER: 10 per 15 minutes). Past that the code step
 *   is locked (429 with Retry-After) except for a correct recovery code, which unlocks it; a password reset clears
 *   the key too.
 */
import crypto from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Db, Tx } from "../db/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { blockedFor, hit, limit, resetLimit, tooManyRequests } from "../security/rate-limit.ts";
import { decryptSecret, encryptSecret, needsReencryption } from "../security/encryption.ts";
import { hashSecret, newSecret } from "./secrets.ts";

export const TOTP_ISSUER = "Roster";
export const RECOVERY_CODE_COUNT = 10;
export const CHALLENGE_TTL_MS = 5 * 60_000;
export const CHALLENGE_PREFIX = "rs_2fa_";
const PERIOD_S = 30;
// One step either side absorbs clock drift between the phone and the server.
const TOLERANCE_S = PERIOD_S;

export const totpContext = (userId: number) => `totp:${userId}`;
export const twoFactorLimitKey = (userId: number) => `2fa:${userId}`;

/** A fresh TOTP seed (160 bits), Base32 as authenticator apps expect. */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

export const encryptTotpSecret = (userId: number, base32: string) => encryptSecret(base32, totpContext(userId));
export const decryptTotpSecret = (userId: number, ciphertext: string) => decryptSecret(ciphertext, totpContext(userId));

/** The otpauth:// URI and a QR code of it as an SVG data URL (allowed by `img-src 'self' data:`; no script). */
export async function enrolmentPayload(email: string, base32: string): Promise<{ otpauthUri: string; qrDataUrl: string }> {
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: email, secret: base32 });
  const svg = await QRCode.toString(otpauthUri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return { otpauthUri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/** Base32 grouped by four for reading and typing; spaces are ignored when an app takes it. */
export const formatSecret = (base32: string) => base32.replace(/(.{4})/g, "$1 ").trim();

const TOTP_FORMAT = /^\d{6}$/;
/** What people type: spaces and dashes are noise ("123 456", "abcd-efgh-…"). */
export const normaliseCode = (raw: string) => raw.replace(/[\s-]+/g, "").toLowerCase();
export const looksLikeTotp = (raw: string) => TOTP_FORMAT.test(normaliseCode(raw));

/** The accepted time step for a correct code newer than `lastUsedStep`, or null. */
export async function checkTotp(base32: string, code: string, lastUsedStep: number | null, now = new Date()): Promise<number | null> {
  const token = normaliseCode(code);
  // otplib throws on a malformed token; a wrong shape is simply a wrong code.
  if (!TOTP_FORMAT.test(token)) return null;
  const result = await verify({
    secret: base32,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_S,
    ...(lastUsedStep !== null ? { afterTimeStep: lastUsedStep } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

// Recovery codes: 10 random bytes = 80 bits, Base32 (RFC 4648, lower case), shown as four groups of four.
const B32 = "abcdefghijklmnopqrstuvwxyz234567";
function randomCode(): string {
  const bytes = crypto.randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.replace(/(.{4})(?=.)/g, "$1-");
}

export const hashRecoveryCode = (raw: string) => hashSecret(`recovery:${normaliseCode(raw)}`);

/** Replaces every recovery code of `userId` with RECOVERY_CODE_COUNT new ones; returns the raw codes (shown once). */
export async function replaceRecoveryCodes(tx: Tx, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
  return codes;
}

export const wrongCode = () => new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Wrong code.", reason: "TWO_FACTOR_INVALID" });

const lockedFor = (seconds: number) => {
  const e = tooManyRequests(seconds, "wrong codes");
  return new AppError(AppErrorCode.TOO_MANY_REQUESTS, {
    userMessage: `${e.userMessage} A recovery code still works.`,
    retryAfter: seconds,
    reason: "TWO_FACTOR_LOCKED",
  });
};

/** Uses a recovery code once (conditional update: concurrent uses of one code cannot both pass). */
async function useRecoveryCode(db: Db | Tx, userId: number, raw: string, now: Date): Promise<boolean> {
  const codeHash = hashRecoveryCode(raw);
  const { count } = await db.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: now } });
  return count === 1;
}

/** Accepts a TOTP code for an enabled or pending factor at most once per time step. */
async function useTotp(db: Db | Tx, userId: number, code: string, pending: boolean, now: Date): Promise<boolean> {
  const row = await db.twoFactor.findUnique({ where: { userId }, select: { secret: true, enabledAt: true, lastUsedStep: true } });
  if (!row || (pending ? row.enabledAt !== null : row.enabledAt === null)) return false;
  const base32 = decryptTotpSecret(userId, row.secret);
  const step = await checkTotp(base32, code, row.lastUsedStep, now);
  if (step === null) return false;
  const { count } = await db.twoFactor.updateMany({
    where: { userId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
    data: {
      lastUsedStep: step,
      ...(pending ? { enabledAt: now } : {}),
      // After DATA_ENCRYPTION_KEY rotated, each seed moves to the new key the next time it is used, so the old key
      // can leave DATA_ENCRYPTION_OLD_KEYS once every active user has signed in.
      ...(needsReencryption(row.secret) ? { secret: encryptTotpSecret(userId, base32) } : {}),
    },
  });
  return count === 1;
}

export type SecondFactorUse = "totp" | "recovery";

/**
 * Checks a second-factor code (a current TOTP, or a recovery code unless `totpOnly`) for a user whose two-factor is
 * enabled, counting wrong codes against TOTP_USER. With `pending`, the code confirms a pending enrolment instead
 * (TOTP only) and enables it in the same conditional update. Throws UNAUTHORIZED "Wrong code." or
 * TOO_MANY_REQUESTS; a locked account still accepts a correct recovery code, which unlocks it.
 */
export async function verifySecondFactor(
  db: Db,
  userId: number,
  code: string,
  opts: { pending?: boolean; totpOnly?: boolean; now?: Date } = {},
): Promise<SecondFactorUse> {
  const now = opts.now ?? new Date();
  const lim = limit("totpUser");
  const key = twoFactorLimitKey(userId);
  const raw = typeof code === "string" ? code.slice(0, 64) : "";
  const allowRecovery = !opts.pending && !opts.totpOnly;
  if (allowRecovery && !looksLikeTotp(raw) && normaliseCode(raw).length > 0) {
    if (await useRecoveryCode(db, userId, raw, now)) {
      await resetLimit(db, key);
      return "recovery";
    }
  } else {
    const locked = await blockedFor(db, key, lim, now);
    if (locked > 0) throw lockedFor(locked);
    if (await useTotp(db, userId, raw, !!opts.pending, now)) {
      await resetLimit(db, key);
      return "totp";
    }
  }
  // The 10th wrong code locks at once (blockedFor counts "at the limit" as locked), so the answer says so.
  const over = await hit(db, key, lim, now);
  const retryAfter = over || (await blockedFor(db, key, lim, now));
  if (retryAfter > 0) throw lockedFor(retryAfter);
  throw wrongCode();
}

/** Whether the user has two-factor turned on (a pending enrolment does not count). */
export async function hasTwoFactor(db: Db | Tx, userId: number): Promise<boolean> {
  const row = await db.twoFactor.findUnique({ where: { userId }, select: { enabledAt: true } });
  return !!row?.enabledAt;
}

/**
 * The sign-in challenge: issued after a correct password for an account with two-factor, returned to the sign-in
 * form instead of a session. Single use, 5 minutes, bound to the user, stored as a SHA-256 hash.
 */
export async function issueChallenge(db: Db, userId: number, now = new Date()): Promise<string> {
  const raw = newSecret(CHALLENGE_PREFIX);
  // Old challenges of this user are useless once a new one exists; keep the table small.
  await db.authChallenge.deleteMany({ where: { userId, OR: [{ usedAt: { not: null } }, { expiresAt: { lte: now } }] } });
  await db.authChallenge.create({ data: { userId, tokenHash: hashSecret(raw), expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) } });
  return raw;
}

export const challengeExpired = () =>
  new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "The sign-in step expired. Enter your password again.", reason: "CHALLENGE_EXPIRED" });

/** The user a live challenge belongs to, or CHALLENGE_EXPIRED. Does not use it up. */
export async function findChallenge(db: Db, raw: string, now = new Date()): Promise<{ id: number; userId: number }> {
  if (typeof raw !== "string" || !raw.startsWith(CHALLENGE_PREFIX) || raw.length > 200) throw challengeExpired();
  const row = await db.authChallenge.findUnique({ where: { tokenHash: hashSecret(raw) }, select: { id: true, userId: true, usedAt: true, expiresAt: true } });
  if (!row || row.usedAt || row.expiresAt <= now) throw challengeExpired();
  return { id: row.id, userId: row.userId };
}

/** Uses a challenge up; false when another request used it first. */
export async function consumeChallenge(db: Db, id: number, now = new Date()): Promise<boolean> {
  const { count } = await db.authChallenge.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return count === 1;
}
