/**
 * Cancels a pending invitation: the link stops working at once (status CANCELLED, pendingKey released so a new
 * invitation can follow), and queued emails for it are withdrawn. 404 when none is pending.
 *
 * One statement, atomic on its own: the conditional update (a concurrent accept or cancel wins, and this one finds
 * nothing), the withdrawn messages and the audit row, all over the row the update returned.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { cancelQueuedEmailsSql } from "../../email/queue-email.ts";
import { parseInput } from "../parse.ts";
import { describeRef } from "./find-pending.ts";
import { auditSql, noPendingInvitation, toInvitation, ts, type InvitationRow } from "./invitation-record.ts";
import { ZCancelInvitationInput, type TCancelInvitationInput, type TInvitation } from "./invitations.schema.ts";

export async function cancelInvitation(db: Db, actor: Actor, input: TCancelInvitationInput): Promise<TInvitation> {
  assertCan(actor, "members.invite");
  const data = parseInput(ZCancelInvitationInput, input);
  const ref = data.ref;
  const now = new Date();
  const match = "id" in ref ? Prisma.sql`"id" = ${ref.id}` : Prisma.sql`"pendingKey" = ${"email" in ref ? ref.email : ref.phone}`;
  const audit = auditSql({
    actor, tenantId: actor.tenantId, action: "invitation.cancelled", targetType: "invitation",
    before: Prisma.sql`jsonb_build_object('status', 'PENDING', 'email', claim."email", 'phone', claim."phone")`, after: { status: "CANCELLED" },
  }, { from: Prisma.sql`claim`, targetId: Prisma.sql`claim."id"`, now });
  const rows = await db.$queryRaw<InvitationRow[]>`
    WITH claim AS (
      UPDATE "Invitation" SET "status" = 'CANCELLED', "pendingKey" = NULL, "decidedAt" = ${ts(now)}, "updatedAt" = ${ts(now)}
       WHERE ${match} AND "tenantId" = ${actor.tenantId} AND "status" = 'PENDING'
      RETURNING "id", "tenantId", "kind"::text AS kind, "status"::text AS status, "email", "phone", "roles", "unitGrants", "message",
                "createdAt", "expiresAt", "sendCount", "lastSentAt", "invitedById", "userId"
    ), ${cancelQueuedEmailsSql("invitation", Prisma.sql`(SELECT "id" FROM claim)`, Prisma.sql`EXISTS (SELECT 1 FROM claim)`, now)}, ${audit}
    SELECT c.*,
           (SELECT json_build_object('id', b."id", 'email', b."email", 'firstName', b."firstName", 'lastName', b."lastName", 'displayName', b."displayName")
              FROM "User" b WHERE b."id" = c."invitedById") AS "invitedBy"
      FROM claim c`;
  const row = rows[0];
  if (!row) throw noPendingInvitation(describeRef(ref));
  return { ...toInvitation(row, now), status: "CANCELLED" as const };
}
