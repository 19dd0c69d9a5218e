/**
 * Changes the tenant's invitation lifetime (1–30 days), join policy, allowed link origins and the two-factor
 * requirement. Only the fields given change; the audit event records each changed field before and after, in the
 * same transaction. The security settings (link origins, require two-factor) need a recent password or code, and
 * requiring two-factor needs the person turning it on to have it (or they would lock themselves out at once).
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { hasTwoFactor } from "../../auth/two-factor.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { loadSettingsRow, SETTINGS_SELECT, toTenantSettings } from "./get-tenant-settings.ts";
import { ZUpdateTenantSettingsInput, type TTenantSettings, type TUpdateTenantSettingsInput } from "./settings.schema.ts";

type Row = Awaited<ReturnType<typeof loadSettingsRow>>;

export async function updateTenantSettings(db: Db, actor: Actor, input: TUpdateTenantSettingsInput): Promise<TTenantSettings> {
  assertCan(actor, "settings.manage");
  const data = parseInput(ZUpdateTenantSettingsInput, input);
  const next: Partial<Row> = {
    ...(data.invitationTtlDays !== undefined ? { invitationTtlDays: data.invitationTtlDays } : {}),
    ...(data.joinPolicy !== undefined ? { joinPolicy: data.joinPolicy } : {}),
    // The same origin typed twice (or as HTTPS://X.example and https://x.example/) is stored once.
    ...(data.allowedLinkOrigins !== undefined ? { allowedLinkOrigins: [...new Set(data.allowedLinkOrigins)] } : {}),
    ...(data.requireTwoFactor !== undefined ? { requireTwoFactor: data.requireTwoFactor } : {}),
  };
  const SECURITY: (keyof Row)[] = ["allowedLinkOrigins", "requireTwoFactor"];
  return db.$transaction(async (tx) => {
    const before = await loadSettingsRow(tx, actor.tenantId);
    const changed = (Object.keys(next) as (keyof Row)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]));
    if (changed.length === 0) return toTenantSettings(before, actor);
    if (changed.some((k) => SECURITY.includes(k))) assertRecentAuth(actor);
    if (changed.includes("requireTwoFactor") && next.requireTwoFactor && actor.userId !== null && !(await hasTwoFactor(tx, actor.userId))) {
      throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Turn on two-factor authentication for your own account before requiring it." });
    }
    const after = await tx.tenant.update({ where: { id: actor.tenantId }, data: next, select: SETTINGS_SELECT });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "tenant.settings_changed", targetType: "tenant", targetId: actor.tenantId,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
    });
    return toTenantSettings(after, actor);
  });
}
