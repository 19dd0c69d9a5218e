/**
 * The job queue against a real database (both engines): transactional enqueue, claim/run/done, retry with backoff,
 * giving up after maxAttempts, and (PostgreSQL only, where it can fail) exactly-once under concurrent workers.
 */
import { describe, expect, it } from "vitest";
import { itOnlyIf } from "../helpers/only-if.ts";
import { z } from "zod";
import { openPostgres, type Db } from "../../server/db/client.ts";
import type { Mailer, OutgoingEmail } from "../../server/email/transport.ts";
import { queueEmail } from "../../server/email/queue-email.ts";
import { sendEmailJob } from "../../server/email/send-email-job.ts";
import { backoffMs, claimDueJobs, enqueueJob, listFailedJobs, pruneDoneJobs, runDueJobs } from "../../server/jobs/queue.ts";
import { jobRegistry } from "../../server/jobs/registry.ts";
import { defineJob, PermanentJobError, type JobDeps } from "../../server/jobs/types.ts";
import { startJobWorker } from "../../server/jobs/worker.ts";
import { testDatabaseUrl, useTestDb } from "../helpers/db.ts";
import { uniqueEmail, uniqueId } from "../helpers/factories.ts";

const t = useTestDb();

function recordingMailer(opts: { fail?: (m: OutgoingEmail) => boolean } = {}) {
  const sent: OutgoingEmail[] = [];
  const mailer: Mailer = {
    kind: "outbox",
    async send(_db, m) {
      if (opts.fail?.(m)) throw new Error("SMTP said no");
      sent.push(m);
      return { messageId: `m-${sent.length}` };
    },
  };
  return { mailer, sent };
}

const message = (ref = uniqueId()) => ({
  to: uniqueEmail("rcpt"),
  subject: `Hello ${ref}`,
  text: "Plain body",
  html: "<p>Html body</p>",
  kind: "test" as const,
  refType: "test",
  refId: ref,
});

/** Makes every pending job due now (backoff moved into the past) without touching anything else. */
async function makeAllDue(db: Db) {
  await db.job.updateMany({ where: { doneAt: null, failedAt: null }, data: { runAt: new Date(Date.now() - 1000) } });
}

async function drain(db: Db, deps: JobDeps) {
  for (;;) {
    const r = await runDueJobs(db, { deps, limit: 50 });
    if (r.claimed === 0) return;
  }
}

describe("job queue", () => {
  it("should run a job enqueued in a committed transaction once and mark it done", async () => {
    const { mailer, sent } = recordingMailer();
    await drain(t.db, { mailer });
    const msg = message();
    const { jobId } = await t.db.$transaction((tx) => queueEmail(tx, msg));
    const first = await runDueJobs(t.db, { deps: { mailer } });
    expect(first).toMatchObject({ claimed: 1, succeeded: 1, retried: 0, failed: 0 });
    expect(sent.map((m) => m.subject)).toEqual([msg.subject]);
    const job = await t.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.doneAt).not.toBeNull();
    expect(job.attempts).toBe(1);
    expect(job.lockedUntil).toBeNull();
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 0 });
  });

  it("should never run a job enqueued in a transaction that rolled back", async () => {
    const { mailer, sent } = recordingMailer();
    await drain(t.db, { mailer });
    const msg = message();
    await expect(
      t.db.$transaction(async (tx) => {
        await queueEmail(tx, msg);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await t.db.job.count({ where: { doneAt: null, failedAt: null } })).toBe(0);
    expect(await t.db.emailDelivery.count({ where: { refId: msg.refId } })).toBe(0);
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 0 });
    expect(sent).toHaveLength(0);
  });

  it("should not run a job before its runAt", async () => {
    const { mailer, sent } = recordingMailer();
    await drain(t.db, { mailer });
    const { jobId } = await queueEmail(t.db, message(), { runAt: new Date(Date.now() + 60_000) });
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 0 });
    await makeAllDue(t.db);
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(sent).toHaveLength(1);
    expect((await t.db.job.findUniqueOrThrow({ where: { id: jobId } })).doneAt).not.toBeNull();
  });

  it("should reschedule a failed job with exponential backoff and record lastError, then succeed on a later attempt", async () => {
    let failures = 2;
    const { mailer, sent } = recordingMailer({ fail: () => failures-- > 0 });
    await drain(t.db, { mailer: recordingMailer().mailer });
    const { jobId } = await queueEmail(t.db, message());

    const before = Date.now();
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 1, retried: 1 });
    let job = await t.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ attempts: 1, doneAt: null, failedAt: null, lockedUntil: null });
    expect(job.lastError).toContain("SMTP said no");
    expect(job.runAt.getTime()).toBeGreaterThanOrEqual(before + backoffMs(1) - 1000);
    // Not due yet: the backoff holds it back.
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 0 });

    await makeAllDue(t.db);
    const second = Date.now();
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 1, retried: 1 });
    job = await t.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.attempts).toBe(2);
    expect(job.runAt.getTime()).toBeGreaterThanOrEqual(second + backoffMs(2) - 1000);
    expect(backoffMs(2)).toBeGreaterThan(backoffMs(1));

    await makeAllDue(t.db);
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 1, succeeded: 1 });
    job = await t.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ attempts: 3, lastError: null, failedAt: null });
    expect(job.doneAt).not.toBeNull();
    expect(sent).toHaveLength(1);
  });

  it("should give up after maxAttempts: failedAt set, doneAt null, never claimed again", async () => {
    const { mailer } = recordingMailer({ fail: () => true });
    await drain(t.db, { mailer: recordingMailer().mailer });
    const { jobId } = await queueEmail(t.db, message());
    const results = [];
    for (let i = 0; i < 5; i++) {
      await makeAllDue(t.db);
      results.push(await runDueJobs(t.db, { deps: { mailer } }));
    }
    expect(results.slice(0, 4).every((r) => r.retried === 1)).toBe(true);
    expect(results[4]).toMatchObject({ claimed: 1, failed: 1 });
    const job = await t.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ attempts: 5, maxAttempts: 5, doneAt: null, lockedUntil: null });
    expect(job.failedAt).not.toBeNull();
    expect(job.lastError).toContain("SMTP said no");
    await makeAllDue(t.db);
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 0 });
  });

  it("should fail at once on a PermanentJobError and run handlers from a custom registry", async () => {
    const seen: number[] = [];
    const registry = jobRegistry([
      defineJob({ type: "count", schema: z.strictObject({ n: z.number() }), handler: async (p) => void seen.push(p.n) }),
      defineJob({ type: "broken", schema: z.strictObject({}), handler: async () => { throw new PermanentJobError("cannot ever work"); } }),
    ]);
    await drain(t.db, { mailer: recordingMailer().mailer });
    const a = await t.db.job.create({ data: { type: "count", payload: { n: 7 } } });
    const b = await t.db.job.create({ data: { type: "broken", payload: {} } });
    const c = await t.db.job.create({ data: { type: "count", payload: { n: "not a number" } } });
    const r = await runDueJobs(t.db, { registry, deps: { mailer: recordingMailer().mailer } });
    expect(r).toMatchObject({ claimed: 3, succeeded: 1, failed: 2 });
    expect(seen).toEqual([7]);
    expect((await t.db.job.findUniqueOrThrow({ where: { id: b.id } })).failedAt).not.toBeNull();
    expect((await t.db.job.findUniqueOrThrow({ where: { id: c.id } })).lastError).toContain("invalid payload");
    expect((await t.db.job.findUniqueOrThrow({ where: { id: a.id } })).doneAt).not.toBeNull();
  });

  it("should reclaim a job whose lease expired (a worker died mid-run)", async () => {
    const { mailer, sent } = recordingMailer();
    await drain(t.db, { mailer });
    const { jobId } = await queueEmail(t.db, message());
    const claimed = await claimDueJobs(t.db, 10, 60_000);
    expect(claimed.map((j) => j.id)).toEqual([jobId]);
    // Leased: nobody else gets it.
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 0 });
    await t.db.job.update({ where: { id: jobId }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(sent).toHaveLength(1);
    expect((await t.db.job.findUniqueOrThrow({ where: { id: jobId } })).attempts).toBe(2);
  });

  it("should refuse an invalid payload at enqueue time", async () => {
    await expect(
      enqueueJob(t.db, sendEmailJob, { ...message(), to: "not an email", deliveryId: 1 }),
    ).rejects.toThrow();
  });

  it("should let the worker deliver queued mail on its own and stop cleanly", async () => {
    const { mailer, sent } = recordingMailer();
    await drain(t.db, { mailer });
    const msg = message();
    await queueEmail(t.db, msg);
    const worker = startJobWorker(t.db, { intervalMs: 20, deps: { mailer } });
    try {
      for (let i = 0; i < 200 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await worker.stop();
    }
    expect(sent.map((m) => m.subject)).toEqual([msg.subject]);
  });

  it("should send an email job run again after it succeeded only once (the delivery is claimed before sending)", async () => {
    const { mailer, sent } = recordingMailer();
    await drain(t.db, { mailer });
    const msg = message();
    const { jobId, deliveryId } = await queueEmail(t.db, msg);
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 1, succeeded: 1 });
    // The same job offered again (a retried claim after a lost acknowledgement) and a duplicate job for the delivery.
    const job = await t.db.job.findUniqueOrThrow({ where: { id: jobId } });
    await t.db.job.update({ where: { id: jobId }, data: { doneAt: null, payload: { ...msg, deliveryId } } });
    await enqueueJob(t.db, sendEmailJob, { ...msg, deliveryId });
    expect(await runDueJobs(t.db, { deps: { mailer } })).toMatchObject({ claimed: 2, succeeded: 2 });
    expect(sent.map((m) => m.subject)).toEqual([msg.subject]);
    expect(await t.db.emailDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "SENT", attempts: job.attempts });
  });

  it("should renew the lease of a job while its handler runs, so a slow run is never taken over", async () => {
    await drain(t.db, { mailer: recordingMailer().mailer });
    let runs = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const registry = jobRegistry([defineJob({ type: "slow", schema: z.strictObject({}), handler: async () => { runs++; await held; } })]);
    const job = await t.db.job.create({ data: { type: "slow", payload: {} } });
    const leaseMs = 300;
    const first = runDueJobs(t.db, { registry, deps: { mailer: recordingMailer().mailer }, leaseMs });
    // Three leases later the first run still holds it: another poller finds nothing to claim.
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, leaseMs / 2));
      expect(await runDueJobs(t.db, { registry, deps: { mailer: recordingMailer().mailer }, leaseMs })).toMatchObject({ claimed: 0 });
    }
    release();
    expect(await first).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(runs).toBe(1);
    expect(await t.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ attempts: 1, lockedUntil: null });
  });

  it("should list a job given up after its retries as a dead letter, without its payload", async () => {
    await drain(t.db, { mailer: recordingMailer().mailer });
    const registry = jobRegistry([defineJob({ type: "doomed", schema: z.strictObject({ secret: z.string() }), handler: async () => { throw new Error("always fails"); } })]);
    const job = await t.db.job.create({ data: { type: "doomed", payload: { secret: "s3cr3t" }, maxAttempts: 2 } });
    expect(await runDueJobs(t.db, { registry, deps: { mailer: recordingMailer().mailer } })).toMatchObject({ claimed: 1, retried: 1 });
    expect((await listFailedJobs(t.db)).map((j) => j.id)).not.toContain(job.id.toString());
    await makeAllDue(t.db);
    expect(await runDueJobs(t.db, { registry, deps: { mailer: recordingMailer().mailer } })).toMatchObject({ claimed: 1, failed: 1 });
    const dead = (await listFailedJobs(t.db)).find((j) => j.id === job.id.toString());
    expect(dead).toMatchObject({ type: "doomed", attempts: 2, maxAttempts: 2 });
    expect(dead!.lastError).toContain("always fails");
    expect(JSON.stringify(dead)).not.toContain("s3cr3t");
  });

  itOnlyIf(process.env.TEST_DB === "postgres")("should run each job exactly once with two workers polling PostgreSQL concurrently", async () => {
    const { mailer, sent } = recordingMailer();
    await drain(t.db, { mailer });
    // A second instance: its own client and pool on the same schema.
    const other = openPostgres(testDatabaseUrl(), { schema: t.handle.schema!, max: 4 });
    try {
      const N = 60;
      const refs = Array.from({ length: N }, (_, i) => `c${i}-${uniqueId()}`);
      const jobIds = await t.db.$transaction(async (tx) => {
        const ids: bigint[] = [];
        for (const ref of refs) ids.push((await queueEmail(tx, message(ref))).jobId);
        return ids;
      });
      const slowMailer: Mailer = {
        kind: "outbox",
        async send(db, m) {
          await new Promise((r) => setTimeout(r, 2));
          return mailer.send(db, m);
        },
      };
      const loop = async (db: Db) => {
        const totals = { claimed: 0, succeeded: 0 };
        for (;;) {
          const r = await runDueJobs(db, { deps: { mailer: slowMailer }, limit: 3 });
          if (r.claimed === 0) return totals;
          totals.claimed += r.claimed;
          totals.succeeded += r.succeeded;
        }
      };
      const [a, b, c, d] = await Promise.all([loop(t.db), loop(other.prisma), loop(t.db), loop(other.prisma)]);
      expect(a.claimed + b.claimed + c.claimed + d.claimed).toBe(N);
      expect(a.succeeded + b.succeeded + c.succeeded + d.succeeded).toBe(N);
      const subjects = sent.map((m) => m.subject).sort();
      expect(subjects).toEqual(refs.map((r) => `Hello ${r}`).sort());
      expect(new Set(subjects).size).toBe(N);
      const jobs = await t.db.job.findMany({ where: { id: { in: jobIds } }, select: { attempts: true, doneAt: true } });
      expect(jobs.every((j) => j.attempts === 1 && j.doneAt !== null)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe("job housekeeping", () => {
  it("should prune done jobs older than the cutoff and keep pending and failed ones", async () => {
    const old = new Date(Date.now() - 8 * 24 * 3_600_000);
    const done = await t.db.job.create({ data: { type: "sendEmail", payload: {}, doneAt: old } });
    const failed = await t.db.job.create({ data: { type: "sendEmail", payload: {}, failedAt: old, runAt: old } });
    const recent = await t.db.job.create({ data: { type: "sendEmail", payload: {}, doneAt: new Date() } });
    const pending = await t.db.job.create({ data: { type: "sendEmail", payload: {}, runAt: new Date(Date.now() + 3_600_000) } });
    expect(await pruneDoneJobs(t.db)).toBeGreaterThanOrEqual(1);
    const left = await t.db.job.findMany({ where: { id: { in: [done.id, failed.id, recent.id, pending.id] } }, select: { id: true } });
    expect(left.map((j) => j.id).sort()).toEqual([failed.id, recent.id, pending.id].sort());
  });
});
