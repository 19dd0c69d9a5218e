/**
 * The `sendEmail` job: hands one message to the mailer and records the attempt's result on its EmailDelivery row.
 * A failed attempt marks the delivery FAILED right away (so the admin UI can say "failed to send" while the queue
 * retries with backoff); a later success turns it SENT. A CANCELLED delivery (resent or withdrawn invitation) is
 * skipped. Delivery is at-least-once: a crash between the SMTP hand-off and the bookkeeping can repeat a message.
 */
import { backoffMs, defineJob, willRetry } from "../jobs/types.ts";
import { ZSendEmailPayload } from "./email.schema.ts";

export const sendEmailJob = defineJob({
  schema: ZSendEmailPayload,
  async handler(p, { db, deps, attempt, maxAttempts }) {
    const delivery = await db.emailDelivery.findUnique({ where: { id: p.deliveryId }, select: { status: true } });
    if (!delivery || delivery.status === "CANCELLED" || delivery.status === "SENT") return;
    const now = new Date();
    try {
      const { messageId } = await deps.mailer.send(db, { to: p.to, subject: p.subject, text: p.text, html: p.html, deliveryId: p.deliveryId });
      await db.emailDelivery.update({
        where: { id: p.deliveryId },
        data: { status: "SENT", attempts: attempt, lastAttemptAt: now, sentAt: new Date(), lastError: null, nextAttemptAt: null, transport: deps.mailer.kind, messageId },
      });
    } catch (e) {
      const retry = willRetry({ attempt, maxAttempts });
      await db.emailDelivery.updateMany({
        where: { id: p.deliveryId, status: { not: "CANCELLED" } },
        data: {
          status: "FAILED",
          attempts: attempt,
          lastAttemptAt: now,
          lastError: (e instanceof Error ? e.message : String(e)).slice(0, 1000),
          nextAttemptAt: retry ? new Date(now.getTime() + backoffMs(attempt)) : null,
          transport: deps.mailer.kind,
        },
      });
      throw e;
    }
  },
});
