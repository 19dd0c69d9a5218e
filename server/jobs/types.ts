/**
 * Job contracts. A job type pairs a zod payload schema with a handler; the registry (registry.ts) lists every type
 * the app runs. Handlers must be idempotent where they can: a job whose worker died mid-run (lease expired) runs again.
 */
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import type { Mailer } from "../email/transport.ts";

/** What a handler may use besides its payload; tests pass their own (e.g. a mailer pointed at an SMTP sink). */
export type JobDeps = { mailer: Mailer };

export type JobContext = {
  db: Db;
  deps: JobDeps;
  jobId: bigint;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
};

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
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
