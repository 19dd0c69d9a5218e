/**
 * Resends a pending invitation: a new token (the old link stops working at once), queued messages for the old one
 * withdrawn, expiry extended by the tenant's lifetime, send count up by one. An expired invitation is not pending:
 * 404 (invite again instead). Phone invitations have no email channel: the new link is returned once.
 *
 * Cost: one statement reads the tenant, the resender's name and the invitation; then one statement makes the change
 * (conditional on PENDING: a concurrent accept or cancel wins, and this resend finds nothing to do), withdraws the
 * old messages, writes the audit row and queues the new email as a template rendered when it is sent.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { cancelQueuedEmailsSql, queueEmailSql } from "../../email/queue-email.ts";
import { parseInput } from "../parse.ts";
import { describeRef } from "./find-pending.ts";
import {
  assertLinkBase, auditSql, expiryFrom, invitationEmailTemplate, inviteLink, newInviteToken, noPendingInvitation, personName, toInvitation, ts,
  type InvitationRow, type TenantForLinks,
} from "./invitation-record.ts";
import { ZResendInvitationInput, type TResendInvitationInput, type TResendInvitationOutput } from "./invitations.schema.ts";

type Person = { id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null };

type Row = Omit<InvitationRow, "id" | "status" | "tenantId"> & { id: number | null; tenant: TenantForLinks; inviter: Person | null };

export async function resendInvitation(db: Db, actor: Actor, input: TResendInvitationInput): Promise<TResendInvitationOutput> {
  assertCan(actor, "members.invite");
  const data = parseInput(ZResendInvitationInput, input);
  const now = new Date();
  const ref = data.ref;
  const match = "id" in ref ? Prisma.sql`i."id" = ${ref.id}` : Prisma.sql`i."pendingKey" = ${"email" in ref ? ref.email : ref.phone}`;
  const rows = await db.$queryRaw<Row[]>`
    SELECT json_build_object('id', t."id", 'name', t."name", 'status', t."status", 'invitationTtlDays', t."invitationTtlDays",
             'allowedLinkOrigins', t."allowedLinkOrigins") AS tenant,
           (SELECT json_build_object('id', u."id", 'email', u."email", 'firstName', u."firstName", 'lastName', u."lastName", 'displayName', u."displayName")
              FROM "User" u WHERE u."id" = ${actor.userId}::int) AS inviter,
           i."id", i."kind"::text AS kind, i."email", i."phone", i."roles", i."unitGrants", i."message", i."createdAt", i."expiresAt",
           i."sendCount", i."lastSentAt", i."invitedById", i."userId",
           (SELECT json_build_object('id', b."id", 'email', b."email", 'firstName', b."firstName", 'lastName', b."lastName", 'displayName', b."displayName")
              FROM "User" b WHERE b."id" = i."invitedById") AS "invitedBy"
      FROM "Tenant" t
      LEFT JOIN "Invitation" i ON i."tenantId" = t."id" AND ${match} AND i."status" = 'PENDING' AND i."expiresAt" > ${ts(now)}
     WHERE t."id" = ${actor.tenantId}`;
  const row = rows[0];
  if (!row) throw noPendingInvitation(describeRef(ref));
  const tenant = row.tenant;
  assertLinkBase(tenant, data.verificationBaseUrl);
  if (row.id === null) throw noPendingInvitation(describeRef(ref));
  const current: InvitationRow = { ...row, id: row.id, tenantId: tenant.id, status: "PENDING" };

  const token = newInviteToken();
  const expiresAt = expiryFrom(tenant, now);
  const emailed = current.email !== null;
  const url = inviteLink(tenant, token.raw, data.verificationBaseUrl);
  const claim = { from: Prisma.sql`claim`, now };
  const audit = auditSql({
    actor, tenantId: tenant.id, action: "invitation.resent", targetType: "invitation",
    before: { expiresAt: current.expiresAt.toISOString(), sendCount: current.sendCount },
    after: { expiresAt: expiresAt.toISOString(), sendCount: current.sendCount + (emailed ? 1 : 0) },
  }, { ...claim, targetId: Prisma.sql`claim."id"` });
  let email = Prisma.empty;
  if (emailed) {
    const model = await tenantModel(db, tenant.id, actor.accessVersion);
    const roleTitle = current.roles[0] ? (model.roleBySlug.get(current.roles[0])?.title ?? null) : null;
    const message = invitationEmailTemplate(
      tenant, { kind: current.kind, email: current.email!, message: current.message, expiresAt, roleTitle }, row.inviter ? personName(row.inviter) : null, url,
    );
    email = Prisma.sql`, ${queueEmailSql(message, { ...claim, refId: Prisma.sql`claim."id"` })}`;
  }
  // One statement, atomic on its own (no BEGIN/COMMIT).
  const out = await db.$queryRaw<{ sendCount: number; lastSentAt: Date | null }[]>`
      WITH claim AS (
        UPDATE "Invitation" SET "tokenHash" = ${token.hash}, "expiresAt" = ${ts(expiresAt)}, "sendError" = NULL,
               "sendCount" = "sendCount" + ${emailed ? 1 : 0}::int, "lastSentAt" = ${emailed ? ts(now) : Prisma.sql`"lastSentAt"`}, "updatedAt" = ${ts(now)}
         WHERE "id" = ${current.id} AND "tenantId" = ${tenant.id} AND "status" = 'PENDING'
        RETURNING "id", "sendCount", "lastSentAt"
      ), ${cancelQueuedEmailsSql("invitation", String(current.id), Prisma.sql`EXISTS (SELECT 1 FROM claim)`, now)}, ${audit}${email}
      SELECT "sendCount", "lastSentAt" FROM claim`;
  const updated = out[0];
  if (!updated) throw noPendingInvitation(describeRef(ref));
  const after: InvitationRow = { ...current, expiresAt, sendCount: updated.sendCount, lastSentAt: updated.lastSentAt };
  return { invitation: toInvitation(after, now), inviteUrl: emailed ? null : url };
}
