/**
 * The audit trail. Actions are a closed list named `resource.past_tense`; an event is written with the transaction
 * client of the change it records, so both commit or neither does. Tenant events go to AuditEvent (keyed by tenant),
 * events without a tenant to AccountEvent (global): recordAuditEvent routes by `tenantId`.
 */
import { Prisma } from "../db/generated/client.ts";
import type { Tx } from "../db/client.ts";
import type { Actor, RequestMeta } from "../authz/actor.ts";

export const AUDIT_ACTIONS = [
  "tenant.created",
  "tenant.settings_changed",
  "unit.created",
  "unit.renamed",
  "unit.archived",
  "unit.restored",
  "member.added",
  "members.imported",
  "member.profile_changed",
  "member.roles_changed",
  "member.full_access_changed",
  "member.suspended",
  "member.reactivated",
  "member.removed",
  "member.left",
  "member.unit_access_changed",
  "member.unit_removed",
  "member.copied_to_units",
  "member.removed_from_units",
  "invitation.created",
  "invitation.resent",
  "invitation.cancelled",
  "invitation.accepted",
  "invitation.declined",
  "invitation.expired",
  "join_request.created",
  "join_request.accepted",
  "join_request.denied",
  "role.created",
  "role.updated",
  "role.deleted",
  "right.created",
  "right.updated",
  "right.deleted",
  "api_token.created",
  "api_token.revoked",
  "session.revoked",
  "user.signed_up",
  "user_token.issued",
  "user.email_verified",
  "user.password_reset",
  "user.password_changed",
  "user.profile_changed",
  "user.avatar_changed",
  "user.avatar_removed",
  "user.two_factor_enabled",
  "user.two_factor_disabled",
  "user.recovery_codes_regenerated",
  "session.reauthenticated",
  "security.denied",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who an event is attributed to; the CLI and boot-time seeding act as the system. */
export type AuditActor = Pick<Actor, "kind" | "userId" | "tokenId" | "meta"> | { kind: "system"; meta?: RequestMeta; userId?: null; tokenId?: null };

export const SYSTEM_ACTOR: AuditActor = { kind: "system" };

/** One event as callers describe it: `tenantId` null for an event that belongs to no tenant (see recordAuditEvent). */
export type AuditEventInput = {
  actor: AuditActor;
  tenantId: number | null;
  action: AuditAction;
  targetType: string;
  targetId?: string | number | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
};

/** An event of one tenant's trail: what the bulk and one-statement writers take. */
export type TenantAuditEventInput = AuditEventInput & { tenantId: number };

export const actorTypeOf = (actor: AuditActor) => (actor.kind === "system" ? "SYSTEM" : actor.kind === "token" ? "TOKEN" : "USER");

/**
 * Writes one event: with a tenant, to that tenant's trail (AuditEvent, distributed by tenant on Citus); without one
 * (a person's own account: password, two-factor, sessions, email verification; a request refused outside any tenant),
 * to the global AccountEvent table, attributed to the acting user's account.
 */
export async function recordAuditEvent(tx: Tx, event: AuditEventInput): Promise<void> {
  const { actor } = event;
  const meta = actor.meta;
  const row = {
    actorType: actorTypeOf(actor),
    actorUserId: actor.userId ?? null,
    actorTokenId: actor.tokenId ?? null,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId == null ? null : String(event.targetId),
    ...(event.before != null ? { before: event.before } : {}),
    ...(event.after != null ? { after: event.after } : {}),
    ip: meta?.ip ?? null,
    userAgent: meta?.userAgent?.slice(0, 500) ?? null,
    requestId: meta?.requestId ?? null,
  } as const;
  if (event.tenantId === null) {
    await tx.accountEvent.create({ data: { userId: actor.userId ?? null, ...row } });
  } else {
    await tx.auditEvent.create({ data: { tenantId: event.tenantId, ...row } });
  }
}

/**
 * Many events in one multi-row INSERT (a bulk import writes one per member plus one for the batch): the rows are
 * those recordAuditEvent would write, bound as a handful of PostgreSQL arrays, whatever their number.
 */
export async function recordAuditEvents(tx: Tx, events: readonly TenantAuditEventInput[], now = new Date()): Promise<void> {
  if (events.length === 0) return;
  const col = <T>(f: (e: TenantAuditEventInput) => T) => events.map(f);
  const json = (v: Prisma.InputJsonValue | null | undefined) => (v == null ? null : JSON.stringify(v));
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", "actorTokenId", "action", "targetType", "targetId",
      "before", "after", "ip", "userAgent", "requestId", "createdAt")
    SELECT e.tenant_id, e.actor_type::"ActorType", e.actor_user_id, e.actor_token_id, e.action, e.target_type, e.target_id,
      e.before::jsonb, e.after::jsonb, e.ip, e.user_agent, e.request_id, ${now.toISOString()}::timestamp(3)
    FROM unnest(
      ${col((e) => e.tenantId)}::int[], ${col((e) => actorTypeOf(e.actor))}::text[],
      ${col((e) => e.actor.userId ?? null)}::int[], ${col((e) => e.actor.tokenId ?? null)}::int[], ${col((e) => e.action)}::text[],
      ${col((e) => e.targetType)}::text[], ${col((e) => (e.targetId == null ? null : String(e.targetId)))}::text[],
      ${col((e) => json(e.before))}::text[], ${col((e) => json(e.after))}::text[], ${col((e) => e.actor.meta?.ip ?? null)}::text[],
      ${col((e) => e.actor.meta?.userAgent?.slice(0, 500) ?? null)}::text[], ${col((e) => e.actor.meta?.requestId ?? null)}::text[]
    ) AS e(tenant_id, actor_type, actor_user_id, actor_token_id, action, target_type, target_id, before, after, ip, user_agent, request_id)`;
}

/**
 * An INSERT of one audit event per row of `from` (SQL naming a CTE of the caller's statement), for a change made in
 * one statement: splice it into the caller's tagged template as a data-modifying CTE (`audit AS (${...})`).
 * `targetId` and `after` are SQL over `from`'s columns; the rest is what recordAuditEvent would write.
 */
export function auditEventsSql(e: {
  actor: AuditActor; tenantId: number; action: AuditAction; targetType: string; from: Prisma.Sql; targetId: Prisma.Sql; after: Prisma.Sql; now: Date;
}): Prisma.Sql {
  const { actor } = e;
  const actorType = actorTypeOf(actor);
  return Prisma.sql`INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", "actorTokenId", "action", "targetType", "targetId",
      "after", "ip", "userAgent", "requestId", "createdAt")
    SELECT ${e.tenantId}::int, ${actorType}::"ActorType", ${actor.userId ?? null}::int, ${actor.tokenId ?? null}::int, ${e.action}::text,
      ${e.targetType}::text, (${e.targetId})::text, (${e.after})::jsonb, ${actor.meta?.ip ?? null}::text,
      ${actor.meta?.userAgent?.slice(0, 500) ?? null}::text, ${actor.meta?.requestId ?? null}::text, ${e.now.toISOString()}::timestamp(3)
    FROM ${e.from}`;
}
