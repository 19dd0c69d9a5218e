/**
 * Audit rows as a SQL fragment, for a mutation that writes its change and its audit rows in one round trip: the
 * fragment is an INSERT usable as a data-modifying CTE (`WITH …, audit AS (${auditInsert(…)}) SELECT …`), writing
 * the rows recordAuditEvent would write, only when `when` holds (e.g. `EXISTS (SELECT 1 FROM del)`, so a refused or
 * empty change leaves no event). Several events are bound as a handful of arrays, whatever their number; one event
 * (most mutations) as plain values: an array parameter is escaped element by element by the driver, and a JSON
 * snapshot of 1,000 units inside a text[] was escaped character by character. Tenant events only (AuditEvent):
 * events without a tenant go through recordAuditEvent.
 */
import { Prisma } from "../db/generated/client.ts";
import { actorTypeOf, type TenantAuditEventInput } from "./record.ts";

export type { TenantAuditEventInput };

const actorType = (e: TenantAuditEventInput) => actorTypeOf(e.actor);
const json = (v: Prisma.InputJsonValue | null | undefined) => (v == null ? null : JSON.stringify(v));

export function auditInsert(events: readonly TenantAuditEventInput[], opts: { when?: Prisma.Sql; now?: Date } = {}): Prisma.Sql {
  const col = <T>(f: (e: TenantAuditEventInput) => T) => events.map(f);
  const when = opts.when ?? Prisma.sql`TRUE`;
  const now = (opts.now ?? new Date()).toISOString();
  if (events.length === 1) {
    const e = events[0]!;
    return Prisma.sql`
    INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", "actorTokenId", "action", "targetType", "targetId",
      "before", "after", "ip", "userAgent", "requestId", "createdAt")
    SELECT ${e.tenantId}::int, ${actorType(e)}::"ActorType", ${e.actor.userId ?? null}::int, ${e.actor.tokenId ?? null}::int, ${e.action}::text,
      ${e.targetType}::text, ${e.targetId == null ? null : String(e.targetId)}::text, ${json(e.before)}::jsonb, ${json(e.after)}::jsonb,
      ${e.actor.meta?.ip ?? null}::text, ${e.actor.meta?.userAgent?.slice(0, 500) ?? null}::text, ${e.actor.meta?.requestId ?? null}::text,
      ${now}::timestamp(3)
    WHERE ${when}
    RETURNING 1`;
  }
  return Prisma.sql`
    INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", "actorTokenId", "action", "targetType", "targetId",
      "before", "after", "ip", "userAgent", "requestId", "createdAt")
    SELECT e.tenant_id, e.actor_type::"ActorType", e.actor_user_id, e.actor_token_id, e.action, e.target_type, e.target_id,
      e.before::jsonb, e.after::jsonb, e.ip, e.user_agent, e.request_id, ${now}::timestamp(3)
    FROM unnest(
      ${col((e) => e.tenantId)}::int[], ${col(actorType)}::text[],
      ${col((e) => e.actor.userId ?? null)}::int[], ${col((e) => e.actor.tokenId ?? null)}::int[], ${col((e) => e.action)}::text[],
      ${col((e) => e.targetType)}::text[], ${col((e) => (e.targetId == null ? null : String(e.targetId)))}::text[],
      ${col((e) => json(e.before))}::text[], ${col((e) => json(e.after))}::text[], ${col((e) => e.actor.meta?.ip ?? null)}::text[],
      ${col((e) => e.actor.meta?.userAgent?.slice(0, 500) ?? null)}::text[], ${col((e) => e.actor.meta?.requestId ?? null)}::text[]
    ) AS e(tenant_id, actor_type, actor_user_id, actor_token_id, action, target_type, target_id, before, after, ip, user_agent, request_id)
    WHERE ${when}
    RETURNING 1`;
}
