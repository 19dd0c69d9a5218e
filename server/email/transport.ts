/**
 * Where email goes. With SMTP_URL: nodemailer 7 over SMTP, sender EMAIL_FROM. Without it (local mode): the dev
 * outbox table, shown at /dev/outbox. A Mailer is a plain value, so tests build one with an explicit URL instead of
 * relying on the process-wide configuration.
 */
import nodemailer from "nodemailer";
import type { Db } from "../db/client.ts";
import type { Env } from "../env.ts";

export type OutgoingEmail = { to: string; subject: string; text: string; html: string; deliveryId?: number };

export type Mailer = {
  readonly kind: "smtp" | "outbox";
  send(db: Db, message: OutgoingEmail): Promise<{ messageId: string | null }>;
};

/** SMTP delivery; fails fast (short timeouts) so a dead server becomes a recorded, retried failure. */
export function createSmtpMailer(opts: { url: string; from: string; timeoutMs?: number }): Mailer {
  const timeout = opts.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: opts.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  });
  return {
    kind: "smtp",
    async send(_db, m) {
      const info = await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length) throw new Error(`recipient rejected by the SMTP server: ${rejected.join(", ")}`);
      return { messageId: info.messageId ?? null };
    },
  };
}

/** Local mode: the message is stored for the operator to read at /dev/outbox. */
export const outboxMailer: Mailer = {
  kind: "outbox",
  async send(db, m) {
    const row = await db.outboxMessage.create({
      data: { to: m.to, subject: m.subject, text: m.text, html: m.html, deliveryId: m.deliveryId ?? null },
      select: { id: true },
    });
    return { messageId: `outbox-${row.id}` };
  },
};

const smtpCache = new Map<string, Mailer>();

/** The mailer the configuration names (one pooled SMTP transport per URL and sender). */
export function mailerFromEnv(env: Pick<Env, "smtpUrl" | "emailFrom">): Mailer {
  if (!env.smtpUrl) return outboxMailer;
  const key = `${env.smtpUrl}\n${env.emailFrom}`;
  let mailer = smtpCache.get(key);
  if (!mailer) {
    mailer = createSmtpMailer({ url: env.smtpUrl, from: env.emailFrom });
    smtpCache.set(key, mailer);
  }
  return mailer;
}
