/**
 * The demo tenant ("northwind") for the invitation e2e file, seeded exactly like startAccessApp (access-app.ts):
 * `db:seed`, then `unit:create` and `member:add` with the CLI BEFORE the server starts, on either database. The
 * difference: a local SMTP sink (tests/helpers/smtp.ts) runs in the test process first, and the server starts with
 * SMTP_URL pointing at it, so the background job worker delivers the invitation emails there.
 */
import type { ParsedMail } from "mailparser";
import { startSmtpSink, type SmtpSink } from "../../helpers/smtp.ts";
import { startAccessApp, type AccessApp } from "./access-app.ts";

export const DEMO_TENANT_NAME = "Northwind Clinics";
export const INVITE_UNIT_NAME = "E2E Invite Depot";

/** An AccessApp (so signedInPage and openMemberFromList work on it) whose server sends email to `sink`. */
export type InviteApp = AccessApp & { sink: SmtpSink };

export async function startInviteApp(): Promise<InviteApp> {
  const sink = await startSmtpSink();
  try {
    const app = await startAccessApp({
      unitName: INVITE_UNIT_NAME,
      serverEnv: { SMTP_URL: sink.url, EMAIL_FROM: "Roster E2E <roster@e2e.test>" },
      onClose: () => sink.stop(),
    });
    return { ...app, sink };
  } catch (e) {
    await sink.stop();
    throw e;
  }
}

/** Every address a message was sent to (To), lower-cased. */
export function recipients(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
}

/**
 * Polls the sink until a message to `email` (and matching `where`) is there, or throws at the deadline with what
 * did arrive. The job worker polls every ~3 s, so allow a few rounds.
 */
export async function waitForMailTo(
  sink: SmtpSink,
  email: string,
  opts: { where?: (m: ParsedMail) => boolean; timeoutMs?: number } = {},
): Promise<ParsedMail> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const match = (m: ParsedMail) => recipients(m).includes(email.toLowerCase()) && (opts.where?.(m) ?? true);
  for (;;) {
    const found = sink.inbox.find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = sink.inbox.map((m) => `${recipients(m).join(",")}: ${m.subject ?? ""}`).join("\n  ") || "(none)";
      throw new Error(`No email to ${email} within ${opts.timeoutMs ?? 30_000} ms; the sink holds:\n  ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The invitation token from `<baseUrl>/invite/<token>` in the mail's plain text. */
export function inviteLinkIn(mail: ParsedMail, baseUrl: string): { url: string; token: string } | null {
  const escaped = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${escaped}/invite/([A-Za-z0-9_-]+)`).exec(mail.text ?? "");
  return m ? { url: m[0], token: m[1]! } : null;
}

/** The same token with its characters changed in the middle: plausible in shape, but not any real token. */
export function tamper(token: string): string {
  const i = Math.floor(token.length / 2);
  const flip = (c: string) => (c === "A" ? "B" : "A");
  return token.slice(0, i) + flip(token[i]!) + flip(token[i + 1]!) + token.slice(i + 2);
}
