/**
 * Email end to end: queued in a transaction, sent by the job runner over real SMTP to the local sink, or stored in
 * the dev outbox in local mode; every attempt's result is visible through latestDeliveryStatus.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestDeliveryStatus, latestDeliveryStatuses } from "../../server/email/delivery-status.ts";
import { isOutboxEnabled, listOutboxMessages } from "../../server/email/outbox.ts";
import { cancelQueuedEmails, queueEmail } from "../../server/email/queue-email.ts";
import { invitationEmail } from "../../server/email/templates.ts";
import { createSmtpMailer, mailerFromEnv, outboxMailer } from "../../server/email/transport.ts";
import type { Db } from "../../server/db/client.ts";
import { runDueJobs } from "../../server/jobs/queue.ts";
import { useTestDb } from "../helpers/db.ts";
import { uniqueEmail, uniqueId } from "../helpers/factories.ts";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";

const t = useTestDb();
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink?.stop());

const FROM = "Roster Test <no-reply@roster.test>";

async function makeAllDue(db: Db) {
  await db.job.updateMany({ where: { doneAt: null, failedAt: null }, data: { runAt: new Date(Date.now() - 1000) } });
}

/** A TCP port with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function invitationMessage(refId: string, to = uniqueEmail("invitee")) {
  const rendered = await invitationEmail({
    tenantName: "Acme & Co",
    inviterName: "Grace <Hopper>",
    roleTitle: "Manager",
    message: `Welcome! <script>alert("x")</script>`,
    acceptUrl: `https://roster.test/invite/rs_inv_${refId}`,
    expiresAt: new Date("2030-01-02T03:04:00Z"),
  });
  return { ...rendered, to, kind: "invitation" as const, refType: "invitation", refId, tenantId: 1 };
}

describe("email delivery", () => {
  it("should deliver a queued invitation over SMTP after commit, with text and escaped html, and report it sent", async () => {
    const refId = uniqueId();
    const msg = await invitationMessage(refId);
    await t.db.$transaction((tx) => queueEmail(tx, msg));
    expect(await latestDeliveryStatus(t.db, "invitation", refId)).toMatchObject({ status: "queued", error: null, attempts: 0 });

    const before = sink.inbox.length;
    const mailer = createSmtpMailer({ url: sink.url, from: FROM });
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ succeeded: 1 });
    const mail = (await sink.waitFor(before + 1))[before]!;
    expect(mail.subject).toBe("You are invited to join Acme & Co");
    expect(mail.from?.value).toEqual([{ address: "no-reply@roster.test", name: "Roster Test" }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null).toBe(msg.to);
    expect(mail.text).toContain(`https://roster.test/invite/rs_inv_${refId}`);
    expect(mail.text).toContain(`<script>alert("x")</script>`);
    expect(mail.html).toBeTruthy();
    expect(mail.html as string).not.toContain("<script>");
    expect(mail.html as string).toContain("&lt;script&gt;");

    const state = await latestDeliveryStatus(t.db, "invitation", refId);
    expect(state).toMatchObject({ status: "sent", error: null, retrying: false, attempts: 1 });
    expect(state?.sentAt).toBeInstanceOf(Date);
  });

  it("should record a failed SMTP attempt as failed with the error, retry it, and report sent once the server answers", async () => {
    const refId = uniqueId();
    await queueEmail(t.db, await invitationMessage(refId));
    const dead = createSmtpMailer({ url: `smtp://127.0.0.1:${await closedPort()}`, from: FROM, timeoutMs: 2_000 });
    expect(await runDueJobs(t.db, { deps: { mailer: dead } })).toMatchObject({ retried: 1 });
    const failed = await latestDeliveryStatus(t.db, "invitation", refId);
    expect(failed).toMatchObject({ status: "failed", retrying: true, attempts: 1 });
    expect(failed?.error).toMatch(/ECONNREFUSED|connect/i);
    expect(failed?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());

    await makeAllDue(t.db);
    const before = sink.inbox.length;
    expect(await runDueJobs(t.db, { deps: { mailer: createSmtpMailer({ url: sink.url, from: FROM }) } })).toMatchObject({ succeeded: 1 });
    await sink.waitFor(before + 1);
    expect(await latestDeliveryStatus(t.db, "invitation", refId)).toMatchObject({ status: "sent", error: null, attempts: 2 });
  });

  it("should report failed without a retry after the last attempt", async () => {
    const refId = uniqueId();
    await queueEmail(t.db, await invitationMessage(refId));
    const dead = createSmtpMailer({ url: `smtp://127.0.0.1:${await closedPort()}`, from: FROM, timeoutMs: 2_000 });
    for (let i = 0; i < 5; i++) {
      await makeAllDue(t.db);
      await runDueJobs(t.db, { deps: { mailer: dead } });
    }
    const state = await latestDeliveryStatus(t.db, "invitation", refId);
    expect(state).toMatchObject({ status: "failed", retrying: false, nextAttemptAt: null, attempts: 5 });
    expect(state?.error).toBeTruthy();
  });

  it("should store messages in the dev outbox when no SMTP_URL is configured (local mode)", async () => {
    const mailer = mailerFromEnv({ smtpUrl: null, emailFrom: FROM });
    expect(mailer).toBe(outboxMailer);
    expect(isOutboxEnabled({ smtpUrl: null, embedded: true })).toBe(true);
    expect(isOutboxEnabled({ smtpUrl: sink.url, embedded: true })).toBe(false);
    expect(isOutboxEnabled({ smtpUrl: null, embedded: false })).toBe(false);

    const first = await invitationMessage(uniqueId());
    const second = await invitationMessage(uniqueId());
    await queueEmail(t.db, first);
    await queueEmail(t.db, second, { runAt: new Date(Date.now() + 5) });
    await new Promise((r) => setTimeout(r, 10));
    await runDueJobs(t.db, { deps: { mailer } });
    const listed = await listOutboxMessages(t.db, { limit: 2 });
    expect(listed.map((m) => m.to)).toEqual([second.to, first.to]);
    expect(listed[0]?.text).toContain(`/invite/rs_inv_${second.refId}`);
    expect(await latestDeliveryStatus(t.db, "invitation", first.refId)).toMatchObject({ status: "sent" });
  });

  it("should pick SMTP from the configuration when SMTP_URL is set", async () => {
    const mailer = mailerFromEnv({ smtpUrl: sink.url, emailFrom: FROM });
    expect(mailer.kind).toBe("smtp");
    expect(mailerFromEnv({ smtpUrl: sink.url, emailFrom: FROM })).toBe(mailer);
    const before = sink.inbox.length;
    await mailer.send(t.db, { to: uniqueEmail(), subject: "Direct", text: "t", html: "<p>t</p>" });
    expect((await sink.waitFor(before + 1))[before]?.subject).toBe("Direct");
  });

  it("should report the newest message for a subject, and skip cancelled ones when the job runs", async () => {
    const refId = uniqueId();
    expect(await latestDeliveryStatus(t.db, "invitation", refId)).toBeNull();
    await queueEmail(t.db, await invitationMessage(refId));
    // A resend: withdraw the old message and queue a new one in one transaction.
    const { deliveryId } = await t.db.$transaction(async (tx) => {
      expect(await cancelQueuedEmails(tx, "invitation", refId)).toBe(1);
      return queueEmail(tx, await invitationMessage(refId));
    });
    const latest = await latestDeliveryStatus(t.db, "invitation", refId);
    expect(latest).toMatchObject({ status: "queued", deliveryId });

    const outboxBefore = await t.db.outboxMessage.count();
    await runDueJobs(t.db, { deps: { mailer: outboxMailer } });
    expect(await t.db.outboxMessage.count()).toBe(outboxBefore + 1);
    const rows = await t.db.emailDelivery.findMany({ where: { refId }, orderBy: { id: "asc" }, select: { status: true } });
    expect(rows.map((r) => r.status)).toEqual(["CANCELLED", "SENT"]);

    const other = uniqueId();
    await queueEmail(t.db, await invitationMessage(other));
    const many = await latestDeliveryStatuses(t.db, "invitation", [refId, other, "missing"]);
    expect(many.get(refId)?.status).toBe("sent");
    expect(many.get(other)?.status).toBe("queued");
    expect(many.has("missing")).toBe(false);
  });
});
