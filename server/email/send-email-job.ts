/**
 * The `sendEmail` job: hands one message to the mailer and records the attempt's result on its EmailDelivery row.
 * A failed attempt marks the delivery FAILED right away (so the admin UI can say "failed to send" while the queue
 * retries with backoff); a later success turns it SENT. A CANCELLED delivery (resent or withdrawn invitation) is
 * skipped.
 *
 * Idempotent: the run first claims its delivery with one conditional update (QUEUED or FAILED only), so a job run
 * again after it succeeded (a retried claim, a duplicated job) sends nothing. Two runs of one job at the same time
 * cannot happen while the queue's lease holds (a live run keeps renewing it). What remains is at-least-once: an
 * instance that dies after the SMTP server accepted the message but before the SENT update repeats it on retry.
 */
import type { Env } from "../env.ts";
import { backoffMs, defineJob, willRetry } from "../jobs/index.ts";
import { ZSendEmailPayload } from "./email.schema.ts";
import { renderTemplate } from "./templated.ts";
import { mailerFromEnv, type Mailer } from "./transport.ts";

declare module "../jobs/types.ts" {
  interface JobDeps {
    /** Where the sendEmail job hands its messages. */
    mailer: Mailer;
  }
}

export const sendEmailJob = defineJob({
  type: "sendEmail",
  schema: ZSendEmailPayload,
  async handler(p, { db, deps, attempt, maxAttempts }) {
    const now = new Date();
    const claimed = await db.emailDelivery.updateMany({
      where: { id: p.deliveryId, status: { in: ["QUEUED", "FAILED"] } },
      data: { attempts: attempt, lastAttemptAt: now, transport: deps.mailer.kind },
    });
    if (claimed.count === 0) return; // SENT already, CANCELLED, or gone.
    try {
      // A templated message is rendered here, after its request returned (the subject was fixed when it was queued).
      const body = "template" in p ? await renderTemplate(p.template) : p;
      const { messageId } = await deps.mailer.send(db, { to: p.to, subject: p.subject, text: body.text, html: body.html, deliveryId: p.deliveryId });
      await db.emailDelivery.update({
        where: { id: p.deliveryId },
        data: { status: "SENT", sentAt: new Date(), lastError: null, nextAttemptAt: null, messageId },
      });
    } catch (e) {
      const retry = willRetry({ attempt, maxAttempts });
      await db.emailDelivery.updateMany({
        where: { id: p.deliveryId, status: { not: "CANCELLED" } },
        data: {
          status: "FAILED",
          lastError: (e instanceof Error ? e.message : String(e)).slice(0, 1000),
          nextAttemptAt: retry ? new Date(now.getTime() + backoffMs(attempt)) : null,
        },
      });
      throw e;
    }
  },
});

/** The job types email/ contributes; the process that runs a worker registers them (server/boot.ts). */
export const emailJobs = [sendEmailJob] as const;

/** The email jobs' dependencies from the configuration (SMTP_URL, EMAIL_FROM; the dev outbox without SMTP). */
export function emailJobDeps(env: Pick<Env, "smtpUrl" | "emailFrom">): { mailer: Mailer } {
  return { mailer: mailerFromEnv(env) };
}
