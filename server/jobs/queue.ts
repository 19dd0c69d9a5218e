/**
 * A PostgreSQL-backed job queue that runs the same on PGlite and PostgreSQL.
 * - enqueueJob(tx, ...) writes the row with the caller's transaction client: the job exists iff the change committed.
 * - runDueJobs(db) claims due jobs with one UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED): several
 *   instances can poll one database and each claim goes to exactly one of them. A claim takes a lease
 *   (lockedUntil) and counts the attempt; success sets doneAt; failure records lastError and reschedules with
 *   exponential backoff; after maxAttempts the job stays failed (failedAt set, doneAt NULL) for an operator to see.
 * Columns are `timestamp without time zone` holding UTC (Prisma's convention), so SQL compares them with
 * `now() AT TIME ZONE 'UTC'`, never with bare now(), whatever the session's TimeZone.
 */
import type { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { JOB_REGISTRY, type JobRegistry, type JobType } from "./registry.ts";
import { backoffMs, PermanentJobError, type JobDeps } from "./types.ts";

export { backoffMs };

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Longer than any handler may take (SMTP timeouts are far shorter), so a live run never loses its lease. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export type JobPayload<T extends JobType> = z.input<(typeof JOB_REGISTRY)[T]["schema"]>;


/** Enqueues a job inside the caller's transaction. Returns the job id. The payload is validated now, not at run time. */
export async function enqueueJob<T extends JobType>(
  tx: Tx | Db,
  type: T,
  payload: JobPayload<T>,
  opts: { runAt?: Date; maxAttempts?: number } = {},
): Promise<bigint> {
  const def = JOB_REGISTRY[type];
  const parsed = def.schema.parse(payload) as Prisma.InputJsonValue;
  const job = await tx.job.create({
    data: {
      type,
      payload: parsed,
      runAt: opts.runAt ?? new Date(),
      maxAttempts: opts.maxAttempts ?? ("maxAttempts" in def ? (def.maxAttempts as number) : DEFAULT_MAX_ATTEMPTS),
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

export type RunDueJobsResult = { claimed: number; succeeded: number; retried: number; failed: number };

export type RunDueJobsOptions = {
  limit?: number;
  leaseMs?: number;
  deps?: Partial<JobDeps>;
  /** Defaults to the app's registry; tests may pass their own. */
  registry?: JobRegistry;
};

function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.slice(0, 2000);
}

let defaultDeps: (() => JobDeps) | undefined;
/** The worker's dependencies when a caller passes none (the mailer from the configuration); set by worker.ts. */
export function setDefaultJobDeps(factory: () => JobDeps): void {
  defaultDeps = factory;
}

function resolveDeps(partial: Partial<JobDeps> | undefined): JobDeps {
  if (partial?.mailer) return { mailer: partial.mailer };
  if (!defaultDeps) throw new Error("runDueJobs: no mailer given and no default job dependencies installed");
  return { ...defaultDeps(), ...partial };
}

/** Claims and runs the jobs that are due now (one after another) and reports what happened. */
export async function runDueJobs(db: Db, opts: RunDueJobsOptions = {}): Promise<RunDueJobsResult> {
  const registry = opts.registry ?? (JOB_REGISTRY as JobRegistry);
  const jobs = await claimDueJobs(db, opts.limit ?? 10, opts.leaseMs ?? DEFAULT_LEASE_MS);
  const result: RunDueJobsResult = { claimed: jobs.length, succeeded: 0, retried: 0, failed: 0 };
  if (jobs.length === 0) return result;
  const deps = resolveDeps(opts.deps);
  for (const job of jobs) {
    // The attempt count the claim wrote: later updates apply only while this run still owns the job.
    const mine = { id: job.id, attempts: job.attempts, doneAt: null, failedAt: null };
    try {
      const def = registry[job.type];
      if (!def) throw new Error(`no handler registered for job type "${job.type}"`);
      const parsed = def.schema.safeParse(job.payload);
      if (!parsed.success) throw new PermanentJobError(`invalid payload: ${parsed.error.message}`);
      await def.handler(parsed.data, { db, deps, jobId: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts });
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
    }
  }
  return result;
}

/** Deletes finished jobs older than `olderThanMs` (failed ones are kept for an operator to inspect). Returns the count. */
export async function pruneDoneJobs(db: Db, olderThanMs = 7 * 24 * 3_600_000): Promise<number> {
  const r = await db.job.deleteMany({ where: { doneAt: { lt: new Date(Date.now() - olderThanMs) } } });
  return r.count;
}
