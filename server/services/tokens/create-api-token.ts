/** Creates a partner (integration) or personal token in the actor's tenant; the raw token is returned once. */
import { assertCan, can, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { SYSTEM_PERMISSIONS, type SystemPermission } from "../../authz/catalog.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import { displayPrefix, hashSecret, newSecret, SECRET_PREFIX } from "../../auth/secrets.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZCreateApiTokenInput, type TCreateApiTokenInput, type TCreateApiTokenOutput } from "./tokens.schema.ts";

export async function createApiToken(db: Db, actor: Actor, input: TCreateApiTokenInput): Promise<TCreateApiTokenOutput> {
  const data = parseInput(ZCreateApiTokenInput, input);
  if (data.kind === "partner") assertCan(actor, "tokens.manage");
  if (data.kind === "personal" && actor.userId === null) {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Only a person can own a personal token." });
  }
  // A token outlives the session that made it: minting one needs a recent password or code (cookie sessions only).
  assertRecentAuth(actor);
  const raw = newSecret(data.kind === "partner" ? SECRET_PREFIX.partner : SECRET_PREFIX.personal);
  // Grant ceiling: a token never carries a scope its creator does not hold right now (for a token caller, also within
  // that token's own scopes). Without this a member with tokens.manage but not roles.manage could mint a partner token
  // that acts with roles.manage, since a partner token's scopes are its permissions. Requested scopes the creator
  // lacks are dropped rather than refused, so "every scope" means "every scope I have".
  const requested = data.scopes ?? SYSTEM_PERMISSIONS.map((p) => p.slug);
  const scopes = [...new Set(requested)].filter((s) => can(actor, s as SystemPermission));
  const expiresAt = data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null;
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.create({
      data: {
        tenantId: actor.tenantId,
        kind: data.kind === "partner" ? "PARTNER" : "PERSONAL",
        name: data.name,
        prefix: displayPrefix(raw),
        tokenHash: hashSecret(raw),
        scopes,
        userId: data.kind === "personal" ? actor.userId : null,
        createdById: actor.userId,
        expiresAt,
      },
      select: { id: true, name: true, kind: true, prefix: true, scopes: true, expiresAt: true },
    });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "api_token.created", targetType: "api_token", targetId: token.id,
      after: { name: token.name, kind: token.kind, prefix: token.prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { token: raw, apiToken: token };
  });
}
