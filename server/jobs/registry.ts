/** Every job type the app runs: type → payload schema + handler. Add a type here and it can be enqueued and run. */
import { sendEmailJob } from "../email/send-email-job.ts";
import type { JobDefinition } from "./types.ts";

export const JOB_REGISTRY = {
  sendEmail: sendEmailJob,
} as const satisfies Record<string, JobDefinition>;

export type JobRegistry = Record<string, JobDefinition>;
export type JobType = keyof typeof JOB_REGISTRY;
