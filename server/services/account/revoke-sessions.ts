/** Signs a session out (or every other session: "sign out everywhere else"); takes effect on that session's next request. */
import { recordAuditEvent } from "../../audit/record.ts";
import type { RequestMeta } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZRevokeSessionInput } from "./account.schema.ts";

type Self = { userId: number; sessionId: number; meta: RequestMeta };

export async function revokeSession(db: Db, self: Self, input: { id: number }): Promise<void> {
  const { id } = parseInput(ZRevokeSessionInput, input);
  await db.$transaction(async (tx) => {
    // Scoped by userId: someone else's session id is simply not found.
    const { count } = await tx.authSession.updateMany({ where: { id, userId: self.userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Session not found." });
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: self.userId, tokenId: null, meta: self.meta }, tenantId: null,
      action: "session.revoked", targetType: "session", targetId: id,
    });
  });
}

export async function revokeOtherSessions(db: Db, self: Self): Promise<{ revoked: number }> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.authSession.updateMany({
      where: { userId: self.userId, revokedAt: null, id: { not: self.sessionId } },
      data: { revokedAt: new Date() },
    });
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: self.userId, tokenId: null, meta: self.meta }, tenantId: null,
      action: "session.revoked", targetType: "user", targetId: self.userId, after: { allOtherSessions: true, count },
    });
    return { revoked: count };
  });
}
