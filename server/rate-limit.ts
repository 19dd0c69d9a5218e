/**
 * Fixed-window rate limits kept in the database, so every app instance on one PostgreSQL shares the counters
 * (no in-process maps: instances are stateless). One statement per check.
 */
import type { Db } from "./db/client.ts";
import { AppError, AppErrorCode } from "./errors.ts";

export type Limit = { points: number; windowMs: number };

export const LIMITS = {
  signInPerEmail: { points: 10, windowMs: 15 * 60_000 },
  signUpPerEmail: { points: 5, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;

/** Counts one hit on `key`; returns how many seconds until the window resets when the limit is exceeded, else 0. */
export async function hit(db: Db, key: string, limit: Limit, now = new Date()): Promise<number> {
  const resetAt = new Date(now.getTime() + limit.windowMs);
  const rows = await db.$queryRaw<{ points: number; resetAt: Date }[]>`
    INSERT INTO "RateLimit" ("key", "points", "resetAt") VALUES (${key}, 1, ${resetAt})
    ON CONFLICT ("key") DO UPDATE SET
      "points" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN 1 ELSE "RateLimit"."points" + 1 END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
    RETURNING "points", "resetAt"`;
  const row = rows[0];
  if (!row || row.points <= limit.points) return 0;
  return Math.max(1, Math.ceil((new Date(row.resetAt).getTime() - now.getTime()) / 1000));
}

/** Like `hit`, but throws TOO_MANY_REQUESTS with Retry-After. */
export async function enforce(db: Db, key: string, limit: Limit): Promise<void> {
  const retryAfter = await hit(db, key, limit);
  if (retryAfter > 0) {
    throw new AppError(AppErrorCode.TOO_MANY_REQUESTS, {
      userMessage: `Too many attempts. Try again in ${retryAfter} seconds.`,
      retryAfter,
    });
  }
}

export async function resetLimit(db: Db, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
