/**
 * Job contracts. A job type pairs a name and a zod payload schema with a handler. The queue knows no job type of its
 * own: each subsystem defines its jobs (email/ defines sendEmail) and the process that runs a worker registers them
 * (server/boot.ts; tests/helpers/db.ts for the tests). Handlers must be idempotent where they can: a job whose
 * worker died mid-run (lease expired) runs again.
 */
import type { z } from "zod";
import type { Db } from "../db/client.ts";

/**
 * What handlers may use besides their payload (a mailer, later a webhook client), passed in by whoever runs the
 * worker so tests can point them at a local sink. Empty here: each subsystem adds its own member by declaration
 * merging (`declare module "../jobs/types.ts" { interface JobDeps { mailer: Mailer } }`), so the queue never names them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobDeps {}

export type JobContext = {
  db: Db;
  deps: JobDeps;
  jobId: bigint;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
};

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  /** The Job.type value; unique across the app. */
  type: string;
  schema: S;
  handler(payload: z.output<S>, ctx: JobContext): Promise<void>;
  /** Attempts before the job is given up (default 5). */
  maxAttempts?: number;
};

/** A handler throws this for failures that no retry can fix (the job fails at once). */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** Delay before attempt n+1 after attempt n failed: 30 s, 2 min, 8 min, 32 min, then hourly. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 4 ** Math.max(0, attempts - 1), 3_600_000);
}

/** Whether a failure of attempt `ctx.attempt` will be retried (a PermanentJobError never is). */
export function willRetry(ctx: Pick<JobContext, "attempt" | "maxAttempts">): boolean {
  return ctx.attempt < ctx.maxAttempts;
}
