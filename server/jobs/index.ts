/**
 * The job queue's public surface for subsystems that define jobs (email/, later webhooks/ and sweeps): define a job,
 * enqueue it in the caller's transaction, read the retry policy. Running jobs (worker, registry) belongs to the
 * process's composition root (server/boot.ts). A subsystem adds what its handlers need to `JobDeps` by declaration
 * merging on "jobs/types.ts", where the interface is declared.
 */
export { DEFAULT_MAX_ATTEMPTS, enqueueJob, type JobPayload } from "./queue.ts";
export { backoffMs, defineJob, PermanentJobError, willRetry, type JobContext, type JobDefinition, type JobDeps } from "./types.ts";
