/**
 * A PostgreSQL-backed job queue that runs the same on PGlite and PostgreSQL. It knows no job type: definitions come
 * from the subsystems (types.ts), and a worker runs what its process registered (registry.ts).
 * - enqueueJob(tx, def, ...) writes the row with the caller's transaction client: the job exists iff the change committed.
 * - runDueJobs(db) claims due jobs with one UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED): several
 *   instances can poll one database and each claim goes to exactly one of them. A claim takes a lease
 *   (lockedUntil) and counts the attempt; while the handler runs the lease is renewed (a heartbeat every third of
 *   it), so only a dead or cut-off instance loses its jobs, after one lease. Success sets doneAt; failure records
 *   lastError and reschedules with exponential backoff; after maxAttempts the job is dead-lettered (failedAt set,
 *   doneAt NULL), listed by listFailedJobs (`npm run cli -- jobs:failed`) for an operator.
 * Columns are `timestamp without time zone` holding UTC (Prisma's convention), so SQL compares them with
 * `now() AT TIME ZONE 'UTC'`, never with bare now(), whatever the session's TimeZone.
 */
import type { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { registeredJobs, type JobRegistry } from "./registry.ts";
import { backoffMs, PermanentJobError, type JobDefinition, type JobDeps } from "./types.ts";

export { backoffMs };

export const DEFAULT_MAX_ATTEMPTS = 5;
/** JOB_LEASE_SECONDS' default. The heartbeat keeps a live run's lease, so this is how long a dead instance holds its jobs. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export type JobPayload<D extends JobDefinition> = z.input<D["schema"]>;

/** Enqueues a job inside the caller's transaction. Returns the job id. The payload is validated now, not at run time. */
export async function enqueueJob<D extends JobDefinition>(
  tx: Tx | Db,
  def: D,
  payload: JobPayload<D>,
  opts: { runAt?: Date; maxAttempts?: number } = {},
): Promise<bigint> {
  const parsed = def.schema.parse(payload) as Prisma.InputJsonValue;
  const job = await tx.job.create({
    data: {
      type: def.type,
      payload: parsed,
      runAt: opts.runAt ?? new Date(),
      maxAttempts: opts.maxAttempts ?? def.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    },
    select: { id: true },
  });
  return job.id;
}

type ClaimedJob = { id: bigint; type: string; payload: unknown; attempts: number; maxAttempts: number; runAt: Date };

/** Claims up to `limit` due jobs in one statement; claimed rows are leased to the caller for `leaseMs`. */
export async function claimDueJobs(db: Db, limit: number, leaseMs = DEFAULT_LEASE_MS): Promise<ClaimedJob[]> {
  const rows = await db.$queryRaw<ClaimedJob[]>`
    UPDATE "Job"
    SET "lockedUntil" = (now() AT TIME ZONE 'UTC') + (${leaseMs}::integer * interval '1 millisecond'),
        "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "Job"
      WHERE "doneAt" IS NULL AND "failedAt" IS NULL
        AND "runAt" <= (now() AT TIME ZONE 'UTC')
        AND ("lockedUntil" IS NULL OR "lockedUntil" < (now() AT TIME ZONE 'UTC'))
      ORDER BY "runAt", "id"
      LIMIT ${limit}::integer
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "type", "payload", "attempts", "maxAttempts", "runAt"`;
  // RETURNING has no defined order: run the claimed jobs oldest first.
  return rows.sort((a, b) => new Date(a.runAt).getTime() - new Date(b.runAt).getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Extends the lease of a job this run still owns (same attempt, not finished). The claim leased every job of the
 * batch, so the ones still waiting their turn are renewed too.
 */
async function renewLeases(db: Db, jobs: readonly { id: bigint; attempts: number }[], leaseMs: number): Promise<void> {
  if (jobs.length === 0) return;
  await db.$executeRaw`
    UPDATE "Job" SET "lockedUntil" = (now() AT TIME ZONE 'UTC') + (${leaseMs}::integer * interval '1 millisecond')
    FROM unnest(${jobs.map((j) => j.id.toString())}::bigint[], ${jobs.map((j) => j.attempts)}::int[]) AS mine(id, attempts)
    WHERE "Job"."id" = mine.id AND "Job"."attempts" = mine.attempts AND "doneAt" IS NULL AND "failedAt" IS NULL`;
}

export type RunDueJobsResult = { claimed: number; succeeded: number; retried: number; failed: number };

export type RunDueJobsOptions = {
  /** What the handlers need (email/ adds `mailer`); the process that runs the worker supplies it. */
  deps: JobDeps;
  limit?: number;
  leaseMs?: number;
  /** Defaults to the process-wide registry (registerJobs); tests may pass their own. */
  registry?: JobRegistry;
};

function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.slice(0, 2000);
}

/** Claims and runs the jobs that are due now (one after another) and reports what happened. */
export async function runDueJobs(db: Db, opts: RunDueJobsOptions): Promise<RunDueJobsResult> {
  const registry = opts.registry ?? registeredJobs();
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const jobs = await claimDueJobs(db, opts.limit ?? 10, leaseMs);
  const result: RunDueJobsResult = { claimed: jobs.length, succeeded: 0, retried: 0, failed: 0 };
  if (jobs.length === 0) return result;
  const pending = new Map(jobs.map((j) => [j.id, { id: j.id, attempts: j.attempts }]));
  let beat: Promise<void> = Promise.resolve();
  const heartbeat = setInterval(() => {
    beat = beat.then(() => renewLeases(db, [...pending.values()], leaseMs)).catch((e) => {
      // A missed renewal is not fatal while the next one lands within the lease.
      console.error(`job worker: lease renewal failed: ${(e as Error)?.message ?? String(e)}`);
    });
  }, Math.max(50, Math.floor(leaseMs / 3)));
  heartbeat.unref();
  try {
    for (const job of jobs) {
      // The attempt count the claim wrote: later updates apply only while this run still owns the job.
      const mine = { id: job.id, attempts: job.attempts, doneAt: null, failedAt: null };
      try {
        const def = registry[job.type];
        if (!def) throw new Error(`no handler registered for job type "${job.type}"`);
        const parsed = def.schema.safeParse(job.payload);
        if (!parsed.success) throw new PermanentJobError(`invalid payload: ${parsed.error.message}`);
        await def.handler(parsed.data, { db, deps: opts.deps, jobId: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts });
        // A done job's payload has served its purpose; an email's holds single-use links (invitations, resets,
        // verifications) whose raw tokens must not outlive delivery in the database (issue 9: secrets stored hashed).
        await db.job.updateMany({ where: mine, data: { doneAt: new Date(), lockedUntil: null, lastError: null, payload: {} } });
        result.succeeded++;
      } catch (e) {
        const giveUp = e instanceof PermanentJobError || job.attempts >= job.maxAttempts;
        const lastError = errorText(e);
        if (giveUp) {
          await db.job.updateMany({ where: mine, data: { failedAt: new Date(), lockedUntil: null, lastError } });
          result.failed++;
        } else {
          const runAt = new Date(Date.now() + backoffMs(job.attempts));
          await db.job.updateMany({ where: mine, data: { runAt, lockedUntil: null, lastError } });
          result.retried++;
        }
      } finally {
        pending.delete(job.id);
      }
    }
  } finally {
    clearInterval(heartbeat);
    await beat;
  }
  return result;
}

/** Deletes finished jobs older than `olderThanMs` (failed ones are kept for an operator to inspect). Returns the count. */
export async function pruneDoneJobs(db: Db, olderThanMs = 7 * 24 * 3_600_000): Promise<number> {
  const r = await db.job.deleteMany({ where: { doneAt: { lt: new Date(Date.now() - olderThanMs) } } });
  return r.count;
}

export type FailedJob = { id: string; type: string; attempts: number; maxAttempts: number; lastError: string | null; createdAt: Date; failedAt: Date };

/**
 * The dead letters: jobs given up after their retries (or at once on a PermanentJobError), newest first. The payload
 * is left out: an email's holds single-use links.
 */
export async function listFailedJobs(db: Db, opts: { limit?: number } = {}): Promise<FailedJob[]> {
  const rows = await db.job.findMany({
    where: { failedAt: { not: null } },
    orderBy: [{ failedAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(opts.limit ?? 100, 1), 1000),
    select: { id: true, type: true, attempts: true, maxAttempts: true, lastError: true, createdAt: true, failedAt: true },
  });
  return rows.map((r) => ({ ...r, id: r.id.toString(), failedAt: r.failedAt! }));
}
