/**
 * Reads the actor's tenant settings. Members who may read the member list see them (they explain why an invitation
 * expires or why join requests arrive); changing them needs settings.manage (updateTenantSettings).
 */
import { assertCan, can, type Actor } from "../../authz/actor.ts";
import type { Db, Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { getEnv } from "../../env.ts";
import type { TTenantSettings } from "./settings.schema.ts";

export const SETTINGS_SELECT = { invitationTtlDays: true, joinPolicy: true, allowedLinkOrigins: true, requireTwoFactor: true } as const;

export function toTenantSettings(
  row: { invitationTtlDays: number; joinPolicy: TTenantSettings["joinPolicy"]; allowedLinkOrigins: string[]; requireTwoFactor: boolean },
  actor: Actor,
): TTenantSettings {
  return {
    invitationTtlDays: row.invitationTtlDays,
    joinPolicy: row.joinPolicy,
    allowedLinkOrigins: [...row.allowedLinkOrigins],
    requireTwoFactor: row.requireTwoFactor,
    appOrigin: new URL(getEnv().publicUrl).origin,
    canManage: can(actor, "settings.manage"),
  };
}

export async function loadSettingsRow(db: Db | Tx, tenantId: number) {
  const row = await db.tenant.findUnique({ where: { id: tenantId }, select: SETTINGS_SELECT });
  if (!row) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Tenant not found." });
  return row;
}

/** The tenant's invitation lifetime, join policy and allowed link origins. */
export async function getTenantSettings(db: Db, actor: Actor): Promise<TTenantSettings> {
  if (!can(actor, "members.read")) assertCan(actor, "settings.manage");
  return toTenantSettings(await loadSettingsRow(db, actor.tenantId), actor);
}
