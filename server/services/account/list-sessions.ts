/** The signed-in user's live sessions, newest first, with the current one marked. */
import type { Db } from "../../db/client.ts";
import type { TSessionInfo } from "./account.schema.ts";

export async function listSessions(db: Db, user: { userId: number; sessionId: number }, now = new Date()): Promise<TSessionInfo[]> {
  const rows = await db.authSession.findMany({
    where: { userId: user.userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    take: 100,
    select: { id: true, ip: true, userAgent: true, device: true, createdAt: true, lastSeenAt: true, expiresAt: true },
  });
  return rows.map((r) => ({ ...r, current: r.id === user.sessionId }));
}
