/**
 * Revokes a token of the actor's tenant. Partner tokens (and other people's personal tokens) need tokens.manage; a
 * member may always revoke their own personal token. Revoking a partner token also revokes the USER tokens issued
 * under it, in the same transaction as the audit event. A token the actor may not see is NOT_FOUND, exactly like a
 * missing one or another tenant's. Retrying is harmless: an already revoked token is returned unchanged.
 */
import { can, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZRevokeApiTokenInput, type TRevokeApiTokenInput, type TRevokeApiTokenOutput } from "./tokens.schema.ts";

const notFound = () => new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Token not found." });
const forbidden = () => new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. Missing permission: tokens.manage" });

/** Revokes one API token (and, for a partner token, its USER tokens). */
export async function revokeApiToken(db: Db, actor: Actor, input: TRevokeApiTokenInput): Promise<TRevokeApiTokenOutput> {
  const manage = can(actor, "tokens.manage");
  // Without tokens.manage only a person can revoke anything (their own tokens); the row check below finishes the job.
  if (!manage && actor.userId === null) throw forbidden();
  const data = parseInput(ZRevokeApiTokenInput, input);
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({
      where: { id: data.id, tenantId: actor.tenantId },
      select: { id: true, kind: true, userId: true, name: true, prefix: true, revokedAt: true },
    });
    if (!token) throw notFound();
    const own = token.kind !== "PARTNER" && token.userId !== null && token.userId === actor.userId;
    if (!manage && !own) {
      // Partner tokens are listed to every tokens.manage holder, so refusing them says nothing new; someone else's
      // personal token is invisible to this actor and stays indistinguishable from a missing one.
      if (token.kind === "PARTNER") throw forbidden();
      throw notFound();
    }
    if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt, revokedUserTokens: 0 };
    const revokedAt = new Date();
    // Conditional: two concurrent revocations write (and audit) once.
    const { count } = await tx.apiToken.updateMany({ where: { tenantId: actor.tenantId, id: token.id, revokedAt: null }, data: { revokedAt } });
    if (count === 0) {
      const current = await tx.apiToken.findUniqueOrThrow({ where: { tenantId_id: { tenantId: actor.tenantId, id: token.id } }, select: { revokedAt: true } });
      return { id: token.id, revokedAt: current.revokedAt ?? revokedAt, revokedUserTokens: 0 };
    }
    const children = token.kind === "PARTNER"
      ? (await tx.apiToken.updateMany({ where: { parentId: token.id, tenantId: actor.tenantId, revokedAt: null }, data: { revokedAt } })).count
      : 0;
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "api_token.revoked", targetType: "api_token", targetId: token.id,
      before: { name: token.name, kind: token.kind, prefix: token.prefix, revokedAt: null },
      after: { revokedAt: revokedAt.toISOString(), ...(token.kind === "PARTNER" ? { userTokensRevoked: children } : {}) },
    });
    return { id: token.id, revokedAt, revokedUserTokens: children };
  });
}
