/**
 * Server-side session rows. next-auth v4 cannot keep database sessions for credentials sign-in, so its JWT carries
 * a 256-bit random session secret and this table holds the secret's hash. Every session read checks the row, so
 * revocation, idle timeout and absolute timeout take effect on the next request.
 */
import UAParser from "ua-parser-js";
import type { Db, Tx } from "../db/client.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "./secrets.ts";

export type SessionPolicy = { idleMs: number; maxMs: number };

/** A new session secret (sign-in's one-statement path inserts its row itself: server/auth/sign-in.ts). */
export const newSessionSecret = () => newSecret(SECRET_PREFIX.session);

// Refreshing lastSeenAt on every request would turn each read into a write; a minute of slack is plenty for an
// idle timeout measured in tens of minutes.
const TOUCH_INTERVAL_MS = 60_000;

/** "Chrome on Linux" from a user agent (ua-parser-js), or null when neither the browser nor the OS is recognised. */
export function deviceOf(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const r = new UAParser(userAgent.slice(0, 500)).getResult();
  const browser = r.browser.name?.trim();
  const os = r.os.name?.trim();
  if (!browser && !os) return null;
  return `${browser || "Unknown browser"} on ${os || "unknown OS"}`.slice(0, 100);
}

/** Creates a session row; the device is derived from the user agent. Pass a transaction client to add work to it. */
export async function createSessionRow(
  db: Db | Tx,
  userId: number,
  policy: SessionPolicy,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ secret: string; id: number; expiresAt: Date; reauthAt: Date; device: string | null }> {
  const secret = newSessionSecret();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  const device = deviceOf(meta.userAgent);
  const row = await db.authSession.create({
    data: {
      userId,
      tokenHash: hashSecret(secret),
      expiresAt,
      // Signing in is proving who you are: the re-authentication window starts now.
      reauthAt: now,
      device,
      ip: meta.ip?.slice(0, 100) ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    },
    select: { id: true },
  });
  return { secret, id: row.id, expiresAt, reauthAt: now, device };
}

export type ActiveSession = { id: number; userId: number; reauthAt: Date };

/** The live session for a secret, or null when it is unknown, revoked, expired, idle too long, or its user disabled. */
export async function resolveSession(db: Db, secret: string, policy: SessionPolicy, now = new Date()): Promise<ActiveSession | null> {
  const row = await db.authSession.findUnique({
    where: { tokenHash: hashSecret(secret) },
    select: { id: true, userId: true, revokedAt: true, expiresAt: true, lastSeenAt: true, reauthAt: true, user: { select: { disabledAt: true } } },
  });
  if (!row || row.revokedAt || row.user.disabledAt) return null;
  if (row.expiresAt <= now || row.lastSeenAt.getTime() + policy.idleMs <= now.getTime()) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.authSession.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return { id: row.id, userId: row.userId, reauthAt: row.reauthAt };
}

export async function revokeSessionBySecret(db: Db, secret: string): Promise<void> {
  await db.authSession.updateMany({ where: { tokenHash: hashSecret(secret), revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * How long a session marked for rotation stays usable while the browser fetches its replacement. A change to one's
 * own password or two-factor, or a re-authentication, marks the current session (`requireSessionRotation`); the page
 * then asks next-auth for a new cookie (POST /api/auth/session with `{ rotate: true }`, app/_components/rotate-session.ts),
 * whose jwt callback calls `rotateSession`. If the browser never does, the old row still ends within this grace.
 */
export const ROTATION_GRACE_MS = 2 * 60_000;

/** Marks a session for replacement: it stays valid for ROTATION_GRACE_MS at most, unless rotated before. */
export async function requireSessionRotation(db: Db | Tx, sessionId: number, now = new Date()): Promise<void> {
  const graceEnd = new Date(now.getTime() + ROTATION_GRACE_MS);
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null, expiresAt: { gt: graceEnd } }, data: { expiresAt: graceEnd } });
}

/** Sets the moment the person last proved who they are in this session (password or code). */
export async function markReauthenticated(db: Db | Tx, sessionId: number, now = new Date()): Promise<void> {
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { reauthAt: now } });
}

/**
 * Replaces a live session with a new row and secret (the old row is revoked in the same transaction), so a session
 * secret known before a password, two-factor or re-authentication change is worthless after it. The new row keeps
 * the sign-in time, device and proof-of-identity time, and the absolute timeout counts from the original sign-in
 * (undoing a rotation grace). Returns null when the old secret is no longer live (then the caller signs out).
 */
export async function rotateSession(
  db: Db,
  oldSecret: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ secret: string; id: number; userId: number; reauthAt: Date } | null> {
  const live = await resolveSession(db, oldSecret, policy, now);
  if (!live) return null;
  const secret = newSecret(SECRET_PREFIX.session);
  return db.$transaction(async (tx) => {
    const old = await tx.authSession.findUnique({
      where: { id: live.id },
      select: { userId: true, ip: true, userAgent: true, device: true, createdAt: true, reauthAt: true },
    });
    const { count } = await tx.authSession.updateMany({ where: { id: live.id, revokedAt: null }, data: { revokedAt: now } });
    // A concurrent rotation or revocation won: this secret is dead, and so is this request's session.
    if (!old || count === 0) return null;
    const row = await tx.authSession.create({
      data: {
        userId: old.userId,
        tokenHash: hashSecret(secret),
        ip: old.ip,
        userAgent: old.userAgent,
        device: old.device,
        createdAt: old.createdAt,
        lastSeenAt: now,
        reauthAt: old.reauthAt,
        expiresAt: new Date(old.createdAt.getTime() + policy.maxMs),
      },
      select: { id: true },
    });
    return { secret, id: row.id, userId: old.userId, reauthAt: old.reauthAt };
  });
}
