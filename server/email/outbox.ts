/** The dev outbox (local mode without SMTP_URL): what the /dev/outbox page reads. */
import "server-only";
import { getDb, type Db } from "../db/client.ts";
import type { Env } from "../env.ts";

/** The outbox page exists only on the embedded database with no SMTP server configured. */
export function isOutboxEnabled(env: Pick<Env, "smtpUrl" | "embedded">): boolean {
  return env.smtpUrl === null && env.embedded;
}

export type TOutboxMessage = { id: number; to: string; subject: string; text: string; createdAt: Date };

/** Recent outbox messages, newest first (optionally only those addressed to one recipient). */
export async function listOutboxMessages(db: Db, opts: { limit?: number; to?: string } = {}): Promise<TOutboxMessage[]> {
  const take = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  return db.outboxMessage.findMany({
    ...(opts.to ? { where: { to: opts.to } } : {}),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, to: true, subject: true, text: true, createdAt: true },
  });
}

/**
 * The page's entry point. Outbox messages carry invitation links, and a link is enough to sign up as the invitee,
 * so only a tenant owner (the local operator) reads every message; anyone else sees only mail addressed to them.
 */
export async function listDevOutbox(viewer: { userId: number; email: string }, opts: { limit?: number } = {}): Promise<{ messages: TOutboxMessage[]; all: boolean }> {
  const db = await getDb();
  const owner = await db.membership.findFirst({
    where: { userId: viewer.userId, status: "ACTIVE", roles: { some: { role: { slug: "owner" } } } },
    select: { id: true },
  });
  const messages = await listOutboxMessages(db, { ...opts, ...(owner ? {} : { to: viewer.email }) });
  return { messages, all: !!owner };
}
