/**
 * The demo tenant ("northwind") for the invitation e2e file, seeded exactly like startAccessApp (access-app.ts):
 * `db:seed`, then `unit:create` and `member:add` with the CLI BEFORE the server starts, on either database. The
 * difference: a local SMTP sink (tests/helpers/smtp.ts) runs in the test process first, and the server starts with
 * SMTP_URL pointing at it, so the background job worker delivers the invitation emails there.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ParsedMail } from "mailparser";
import { testDbKind } from "../../helpers/db.ts";
import { startSmtpSink, type SmtpSink } from "../../helpers/smtp.ts";
import type { AccessApp } from "./access-app.ts";
import { DEMO_TENANT } from "./access-app.ts";
import { childEnv, parseDemoSignIn, ROOT, startAppServer, type AppServer } from "./app-server.ts";
import { runCliJson } from "./cli.ts";
import { createE2eDatabase, type E2eDatabase } from "./postgres.ts";

export const DEMO_TENANT_NAME = "Northwind Clinics";
export const INVITE_UNIT_NAME = "E2E Invite Depot";

/** An AccessApp (so signedInPage and openMemberFromList work on it) whose server sends email to `sink`. */
export type InviteApp = AccessApp & { sink: SmtpSink; dbEnv: Record<string, string> };

export async function startInviteApp(): Promise<InviteApp> {
  const kind = testDbKind();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-e2e-invite-"));
  let db: E2eDatabase | undefined;
  let server: AppServer | undefined;
  let sink: SmtpSink | undefined;
  const close = async () => {
    await server?.stop();
    await sink?.stop();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    sink = await startSmtpSink();
    let dbEnv: Record<string, string> = { DATA_DIR: dataDir };
    if (kind === "postgres") {
      db = await createE2eDatabase();
      dbEnv = { ...dbEnv, DATABASE_URL: db.url, NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url") };
    }
    const seed = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["server/cli/db-seed.ts"], {
      cwd: ROOT, env: childEnv(dbEnv), encoding: "utf8", timeout: 90_000,
    });
    if (seed.status !== 0) throw new Error(`db:seed exited ${seed.status}\nstdout: ${seed.stdout}\nstderr: ${seed.stderr}`);
    const owner = parseDemoSignIn(seed.stdout);

    const { unit } = runCliJson<{ unit: { id: number; name: string } }>(
      ["unit:create", "--tenant", DEMO_TENANT, "--name", INVITE_UNIT_NAME, "--kind", "LOCATION"], dbEnv);
    const worker = { email: `worker-${crypto.randomBytes(3).toString("hex")}@e2e.test`, password: "e2e-worker-password-1" };
    const added = runCliJson<{ user: { id: number }; membership: { id: number } }>(
      ["member:add", "--tenant", DEMO_TENANT, "--email", worker.email, "--password", worker.password, "--role", "worker", "--unit", String(unit.id)],
      dbEnv,
    );
    server = await startAppServer({ dataDir, env: { ...dbEnv, SMTP_URL: sink.url, EMAIL_FROM: "Roster E2E <roster@e2e.test>" } });
    return {
      kind, server, owner, sink, dbEnv, depot: { id: unit.id, name: unit.name },
      worker: { ...worker, userId: added.user.id, membershipId: added.membership.id },
      close,
    };
  } catch (e) {
    await close();
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
