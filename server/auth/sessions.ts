/**
 * Server-side session rows. next-auth v4 cannot keep database sessions for credentials sign-in, so its JWT carries
 * a 256-bit random session secret and this table holds the secret's hash. Every session read checks the row, so
 * revocation, idle timeout and absolute timeout take effect on the next request.
 */
import type { Db } from "../db/client.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "./secrets.ts";

export type SessionPolicy = { idleMs: number; maxMs: number };

// Refreshing lastSeenAt on every request would turn each read into a write; a minute of slack is plenty for an
// idle timeout measured in tens of minutes.
const TOUCH_INTERVAL_MS = 60_000;

export async function createSessionRow(
  db: Db,
  userId: number,
  policy: SessionPolicy,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ secret: string; id: number; expiresAt: Date }> {
  const secret = newSecret(SECRET_PREFIX.session);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  const row = await db.authSession.create({
    data: {
      userId,
      tokenHash: hashSecret(secret),
      expiresAt,
      ip: meta.ip?.slice(0, 100) ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    },
    select: { id: true },
  });
  return { secret, id: row.id, expiresAt };
}

export type ActiveSession = { id: number; userId: number };

/** The live session for a secret, or null when it is unknown, revoked, expired, idle too long, or its user disabled. */
export async function resolveSession(db: Db, secret: string, policy: SessionPolicy, now = new Date()): Promise<ActiveSession | null> {
  const row = await db.authSession.findUnique({
    where: { tokenHash: hashSecret(secret) },
    select: { id: true, userId: true, revokedAt: true, expiresAt: true, lastSeenAt: true, user: { select: { disabledAt: true } } },
  });
  if (!row || row.revokedAt || row.user.disabledAt) return null;
  if (row.expiresAt <= now || row.lastSeenAt.getTime() + policy.idleMs <= now.getTime()) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.authSession.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return { id: row.id, userId: row.userId };
}

export async function revokeSessionBySecret(db: Db, secret: string): Promise<void> {
  await db.authSession.updateMany({ where: { tokenHash: hashSecret(secret), revokedAt: null }, data: { revokedAt: new Date() } });
}
