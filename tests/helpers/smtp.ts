/**
 * A local SMTP sink for tests (STACK.md §8): a real SMTP server on 127.0.0.1:<free port> that parses every message
 * into `inbox`. Point the app at it with SMTP_URL=smtp://127.0.0.1:<port>. STARTTLS is disabled, otherwise
 * nodemailer would try to upgrade the connection.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SmtpSink = {
  port: number;
  url: string;
  inbox: ParsedMail[];
  /** Resolves when the inbox holds at least `count` messages. */
  waitFor(count?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
};

export type SmtpSinkOptions = {
  /**
   * Runs on each parsed message before the sink answers: throw to reject it (the sender sees an SMTP error), or
   * return a promise that does not settle to hold the sender mid-delivery (a stalled SMTP server).
   */
  beforeAccept?: (mail: ParsedMail) => Promise<void> | void;
};

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const inbox: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          await opts.beforeAccept?.(mail);
          inbox.push(mail);
          for (const w of waiters) w();
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    waitFor(count = 1, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (inbox.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(inbox);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP sink: expected ${count} message(s), got ${inbox.length} in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
