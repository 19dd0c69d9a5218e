/**
 * Queue an email inside the caller's transaction: the EmailDelivery row and the sendEmail job commit with the change
 * that caused them, or not at all, and the message goes out after commit (with retries) from the job worker.
 */
import type { Db, Tx } from "../db/client.ts";
import { enqueueJob } from "../jobs/index.ts";
import { sendEmailJob } from "./send-email-job.ts";
import { ZEmailMessage, type TEmailMessage } from "./email.schema.ts";

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
