/**
 * Changes the tenant's invitation lifetime (1–30 days), join policy and allowed link origins. Only the fields given
 * change; the audit event records each changed field before and after, in the same transaction.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
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
  };
  return db.$transaction(async (tx) => {
    const before = await loadSettingsRow(tx, actor.tenantId);
    const changed = (Object.keys(next) as (keyof Row)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]));
    if (changed.length === 0) return toTenantSettings(before, actor);
    const after = await tx.tenant.update({ where: { id: actor.tenantId }, data: next, select: SETTINGS_SELECT });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "tenant.settings_changed", targetType: "tenant", targetId: actor.tenantId,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
    });
    return toTenantSettings(after, actor);
  });
}
