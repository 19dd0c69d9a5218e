/**
 * Single-use account tokens: email verification (24 hours) and password reset (30 minutes). The raw token (256 bits
 * from the CSPRNG, server/auth/secrets.ts) lives only in the emailed link; the table holds its SHA-256, so a leaked
 * database yields no usable link, and a lookup is one indexed read by hash (nothing secret is compared byte by byte,
 * so there is no timing to measure). Issuing a token retires the user's older unused tokens of the same kind (only
 * the newest link works), and using one is a conditional update `usedAt: null -> now`, so two clicks or two tabs
 * can never both succeed. Raw tokens are never logged, put in audit rows or returned by an API.
 */
import type { Db, Tx } from "../db/client.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "./secrets.ts";

export type AccountTokenKind = "VERIFY_EMAIL" | "RESET_PASSWORD";

export const VERIFY_EMAIL_TTL_MS = 24 * 3_600_000;
export const RESET_PASSWORD_TTL_MS = 30 * 60_000;

const TTL: Record<AccountTokenKind, number> = { VERIFY_EMAIL: VERIFY_EMAIL_TTL_MS, RESET_PASSWORD: RESET_PASSWORD_TTL_MS };
const PREFIX: Record<AccountTokenKind, string> = { VERIFY_EMAIL: SECRET_PREFIX.verifyEmail, RESET_PASSWORD: SECRET_PREFIX.resetPassword };

/** Raw tokens are base64url after their prefix; anything else is refused before touching the database. */
const TOKEN_SHAPE = /^rs_(ve|pr)_[A-Za-z0-9_-]{43}$/;

/** A fresh raw token of `kind` (for the link only; store it with `storeAccountToken`). */
export const newAccountToken = (kind: AccountTokenKind): string => newSecret(PREFIX[kind]);

/**
 * Stores `raw` as the user's token of `kind` for their current address, retiring their older unused ones of that
 * kind, in the caller's transaction (so the email that carries it is queued with it). Returns when it expires.
 */
export async function storeAccountToken(
  tx: Tx,
  user: { id: number; email: string },
  kind: AccountTokenKind,
  raw: string,
  now = new Date(),
): Promise<{ expiresAt: Date }> {
  await tx.accountToken.updateMany({ where: { userId: user.id, kind, usedAt: null }, data: { usedAt: now } });
  const expiresAt = new Date(now.getTime() + TTL[kind]);
  await tx.accountToken.create({ data: { userId: user.id, kind, tokenHash: hashSecret(raw), email: user.email, expiresAt } });
  return { expiresAt };
}

/** newAccountToken + storeAccountToken: returns the raw token, to put in a link. */
export async function issueAccountToken(
  tx: Tx,
  user: { id: number; email: string },
  kind: AccountTokenKind,
  now = new Date(),
): Promise<{ raw: string; expiresAt: Date }> {
  const raw = newAccountToken(kind);
  return { raw, ...(await storeAccountToken(tx, user, kind, raw, now)) };
}

export type TokenState = "valid" | "expired" | "used" | "invalid";

export type FoundToken = { id: number; userId: number; email: string; expiresAt: Date; usedAt: Date | null };

/** The token row for a raw token of `kind` (without using it), or null for a malformed or unknown one. */
export async function findAccountToken(db: Db | Tx, raw: string, kind: AccountTokenKind): Promise<FoundToken | null> {
  if (typeof raw !== "string" || !TOKEN_SHAPE.test(raw) || !raw.startsWith(PREFIX[kind])) return null;
  const row = await db.accountToken.findUnique({
    where: { tokenHash: hashSecret(raw) },
    select: { id: true, userId: true, kind: true, email: true, expiresAt: true, usedAt: true },
  });
  if (!row || row.kind !== kind) return null;
  return { id: row.id, userId: row.userId, email: row.email, expiresAt: row.expiresAt, usedAt: row.usedAt };
}

/** What a page should say about a token: usable, expired, already used (or superseded), or not a token at all. */
export function tokenState(row: FoundToken | null, now = new Date()): TokenState {
  if (!row) return "invalid";
  if (row.usedAt) return "used";
  if (row.expiresAt <= now) return "expired";
  return "valid";
}

/**
 * Uses the token: a conditional update that only one caller can win. Returns the row when this call used it, else
 * the state that stopped it ("used" also covers a concurrent use that won the race).
 */
export async function consumeAccountToken(
  tx: Tx,
  raw: string,
  kind: AccountTokenKind,
  now = new Date(),
): Promise<{ ok: true; token: FoundToken } | { ok: false; state: Exclude<TokenState, "valid"> }> {
  const row = await findAccountToken(tx, raw, kind);
  const state = tokenState(row, now);
  if (state !== "valid" || !row) return { ok: false, state: state === "valid" ? "invalid" : state };
  const { count } = await tx.accountToken.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (count === 0) return { ok: false, state: "used" };
  return { ok: true, token: { ...row, usedAt: now } };
}

/** Retires every unused token of the user (of one kind, or all): after a reset, older links must not work. */
export async function retireAccountTokens(tx: Tx | Db, userId: number, kind?: AccountTokenKind, now = new Date()): Promise<void> {
  await tx.accountToken.updateMany({ where: { userId, usedAt: null, ...(kind ? { kind } : {}) }, data: { usedAt: now } });
}
