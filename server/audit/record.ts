/**
 * The audit trail. Actions are a closed list named `resource.past_tense`; an event is written with the transaction
 * client of the change it records, so both commit or neither does.
 */
import type { Prisma } from "../db/generated/client.ts";
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

export async function recordAuditEvent(
  tx: Tx,
  event: {
    actor: AuditActor;
    tenantId: number | null;
    action: AuditAction;
    targetType: string;
    targetId?: string | number | null;
    before?: Prisma.InputJsonValue | null;
    after?: Prisma.InputJsonValue | null;
  },
): Promise<void> {
  const { actor } = event;
  const meta = actor.meta;
  await tx.auditEvent.create({
    data: {
      tenantId: event.tenantId,
      actorType: actor.kind === "system" ? "SYSTEM" : actor.kind === "token" ? "TOKEN" : "USER",
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
    },
  });
}
