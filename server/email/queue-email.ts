/**
 * Queue an email inside the caller's transaction: the EmailDelivery row and the sendEmail job commit with the change
 * that caused them, or not at all, and the message goes out after commit (with retries) from the job worker.
 */
import type { Db, Tx } from "../db/client.ts";
import { DEFAULT_MAX_ATTEMPTS, enqueueJob } from "../jobs/index.ts";
import { Prisma } from "../db/generated/client.ts";
import { sendEmailJob } from "./send-email-job.ts";
import { ZEmailMessage, ZTemplatedEmailMessage, type TEmailMessage, type TTemplatedEmailMessage } from "./email.schema.ts";

/** Queues `message`; returns the delivery id (to find its status later) and the job id. */
export async function queueEmail(
  tx: Tx | Db,
  message: TEmailMessage,
  opts: { runAt?: Date } = {},
): Promise<{ deliveryId: number; jobId: bigint }> {
  const m = ZEmailMessage.parse(message);
  const delivery = await tx.emailDelivery.create({
    data: {
      kind: m.kind,
      to: m.to,
      subject: m.subject,
      tenantId: m.tenantId ?? null,
      refType: m.refType ?? null,
      refId: m.refId ?? null,
    },
    select: { id: true },
  });
  const jobId = await enqueueJob(tx, sendEmailJob, { ...m, deliveryId: delivery.id }, opts.runAt ? { runAt: opts.runAt } : {});
  return { deliveryId: delivery.id, jobId };
}

/**
 * Withdraws the messages about (refType, refId) that have not gone out yet (a resend replaces them, a cancelled
 * invitation needs none). Best effort: a message already being handed to SMTP may still arrive. Returns the count.
 */
export async function cancelQueuedEmails(tx: Tx | Db, refType: string, refId: string): Promise<number> {
  const r = await tx.emailDelivery.updateMany({
    where: { refType, refId, status: { in: ["QUEUED", "FAILED"] }, sentAt: null },
    data: { status: "CANCELLED", nextAttemptAt: null },
  });
  return r.count;
}

/**
 * cancelQueuedEmails as a data-modifying CTE `withdrawn` of the caller's statement, applied only when `when` holds
 * (e.g. `EXISTS (SELECT 1 FROM claim)`). It sees the rows as of the statement's start, so a message the same
 * statement queues (queueEmailSql) is not withdrawn with the old ones.
 */
export function cancelQueuedEmailsSql(refType: string, refId: string | Prisma.Sql, when: Prisma.Sql, now: Date): Prisma.Sql {
  const at = now.toISOString();
  // refId may be SQL: the id of a row the same statement finds (a cancel by email finds the invitation itself).
  const ref = typeof refId === "string" ? Prisma.sql`${refId}` : Prisma.sql`(${refId})::text`;
  return Prisma.sql`withdrawn AS (
      UPDATE "EmailDelivery" SET "status" = 'CANCELLED', "nextAttemptAt" = NULL, "updatedAt" = ${at}::timestamp(3)
       WHERE "refType" = ${refType} AND "refId" = ${ref} AND "status" IN ('QUEUED', 'FAILED') AND "sentAt" IS NULL AND ${when}
      RETURNING "id"
    )`;
}

/**
 * Queues many messages in one statement (a bulk import's invitations): the EmailDelivery rows and their sendEmail
 * jobs, each job carrying its delivery's id (drawn from the sequence up front, so no row has to be matched back).
 */
export async function queueEmails(tx: Tx, messages: readonly TEmailMessage[], now = new Date()): Promise<void> {
  if (messages.length === 0) return;
  const ms = messages.map((m) => ZEmailMessage.parse(m));
  const at = now.toISOString();
  const maxAttempts = sendEmailJob.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  await tx.$executeRaw`
    WITH m AS MATERIALIZED (
      SELECT nextval(pg_get_serial_sequence('"EmailDelivery"', 'id'))::int AS delivery_id, m.*
      FROM unnest(${ms.map((m) => m.kind)}::text[], ${ms.map((m) => m.to)}::text[], ${ms.map((m) => m.subject)}::text[],
        ${ms.map((m) => m.tenantId ?? null)}::int[], ${ms.map((m) => m.refType ?? null)}::text[], ${ms.map((m) => m.refId ?? null)}::text[],
        ${ms.map((m) => JSON.stringify(m))}::text[]) WITH ORDINALITY AS m(kind, "to", subject, tenant_id, ref_type, ref_id, payload, ord)
    ), deliveries AS (
      INSERT INTO "EmailDelivery" ("id", "kind", "to", "subject", "tenantId", "refType", "refId", "createdAt", "updatedAt")
      SELECT delivery_id, kind, "to", subject, tenant_id, ref_type, ref_id, ${at}::timestamp(3), ${at}::timestamp(3) FROM m
    )
    INSERT INTO "Job" ("type", "payload", "runAt", "maxAttempts", "createdAt")
    SELECT ${sendEmailJob.type}::text, payload::jsonb || jsonb_build_object('deliveryId', delivery_id), ${at}::timestamp(3), ${maxAttempts}::int, ${at}::timestamp(3)
    FROM m ORDER BY ord`;
}

/**
 * The SQL that queues `message` as part of the caller's own statement (data-modifying CTEs), so a change, its
 * EmailDelivery row and its sendEmail job reach the database in one round trip: CTEs `email_delivery` and
 * `email_job`, one row each per row of `from` (a CTE of the caller's statement: none when it returned nothing, so a
 * claim that lost queues no mail). `refId` is SQL over `from` (an id the same statement creates). Splice it into a
 * tagged template after `WITH …,`; the message is validated here as queueEmail does, and the job carries the same
 * payload queueEmail's would.
 */
export function queueEmailSql(
  message: Omit<TEmailMessage, "refId"> | Omit<TTemplatedEmailMessage, "refId">,
  sql: { from: Prisma.Sql; refId: Prisma.Sql; now: Date },
): Prisma.Sql {
  // A templated message (rendered by the job at send time) keeps rendering out of the request and its transaction.
  const m = "template" in message ? ZTemplatedEmailMessage.parse(message) : ZEmailMessage.parse(message);
  const at = sql.now.toISOString();
  const maxAttempts = sendEmailJob.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  return Prisma.sql`email_delivery AS (
      INSERT INTO "EmailDelivery" ("kind", "to", "subject", "tenantId", "refType", "refId", "createdAt", "updatedAt")
      SELECT ${m.kind}, ${m.to}, ${m.subject}, ${m.tenantId ?? null}::int, ${m.refType ?? null}::text, (${sql.refId})::text,
             ${at}::timestamp(3), ${at}::timestamp(3)
        FROM ${sql.from}
      RETURNING "id", "refId"
    ), email_job AS (
      INSERT INTO "Job" ("type", "payload", "runAt", "maxAttempts", "createdAt")
      SELECT ${sendEmailJob.type}::text, ${JSON.stringify(m)}::jsonb || jsonb_build_object('refId', d."refId", 'deliveryId', d."id"),
             ${at}::timestamp(3), ${maxAttempts}::int, ${at}::timestamp(3)
        FROM email_delivery d
      RETURNING "id"
    )`;
}
