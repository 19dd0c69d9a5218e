/**
 * The in-process job worker: polls runDueJobs every few seconds on an unref'd timer, so it never keeps a process
 * (a CLI, a test run) alive. Instances are stateless: any number of them may poll one PostgreSQL database and each job
 * still runs once at a time (the claim uses FOR UPDATE SKIP LOCKED and a lease). On the embedded database there is
 * one process anyway. It runs the job types registered in this process (registry.ts) with the deps it is given.
 */
import type { Db } from "../db/client.ts";
import { pruneDoneJobs, runDueJobs, type RunDueJobsOptions } from "./queue.ts";
import type { JobDeps } from "./types.ts";

export type JobWorker = { stop(): Promise<void>; /** Runs a poll now (after the current one, if any). */ poke(): Promise<void> };

export type JobWorkerOptions = Omit<RunDueJobsOptions, "deps"> & {
  /** A value, or a factory called on every poll (the server resolves its mailer from the configuration). */
  deps: JobDeps | (() => JobDeps);
  /** Pause between polls (JOB_POLL_MS on the server). */
  intervalMs?: number;
};

const globalForWorker = globalThis as unknown as { rosterJobWorker?: JobWorker };

export function startJobWorker(db: Db, opts: JobWorkerOptions): JobWorker {
  // Dev reloads re-run boot code in the same process: keep a single worker.
  if (globalForWorker.rosterJobWorker) return globalForWorker.rosterJobWorker;
  const intervalMs = opts.intervalMs ?? 3_000;
  const { deps, intervalMs: _interval, ...runOpts } = opts;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let lastPrune = 0;

  const poll = async () => {
    try {
      // Drain what is due in batches, then sleep.
      for (;;) {
        const r = await runDueJobs(db, { ...runOpts, deps: typeof deps === "function" ? deps() : deps });
        if (stopped || r.claimed < (opts.limit ?? 10)) break;
      }
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneDoneJobs(db);
      }
    } catch (e) {
      console.error(`job worker: ${(e as Error)?.message ?? String(e)}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = current.then(poll).finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  const worker: JobWorker = {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      if (globalForWorker.rosterJobWorker === worker) delete globalForWorker.rosterJobWorker;
    },
    poke() {
      current = current.then(poll);
      return current;
    },
  };
  globalForWorker.rosterJobWorker = worker;
  return worker;
}
