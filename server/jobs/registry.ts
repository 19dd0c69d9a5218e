/**
 * The job types this process can run. Registration happens from outside the queue, in the process's composition
 * root (server/boot.ts for the server; tests/helpers/db.ts for the tests), so `jobs/` imports no subsystem.
 * Enqueueing needs no registration (enqueueJob takes the definition itself); only a worker looks types up here.
 * Kept on globalThis: Next bundles instrumentation (where the worker starts) apart from the route handlers, and
 * both must see one registry.
 */
import type { JobDefinition } from "./types.ts";

export type JobRegistry = Record<string, JobDefinition>;

const globalForJobs = globalThis as unknown as { rosterJobRegistry?: JobRegistry };

/** Adds job types to the process-wide registry (registering a type again replaces it). */
export function registerJobs(defs: readonly JobDefinition[]): void {
  const registry = (globalForJobs.rosterJobRegistry ??= {});
  // Dev reloads re-evaluate modules: a fresh definition for a known type replaces the stale one.
  for (const def of defs) registry[def.type] = def;
}

/** The registered job types (a snapshot). */
export function registeredJobs(): JobRegistry {
  return { ...(globalForJobs.rosterJobRegistry ?? {}) };
}

/** Builds a registry from definitions without touching the process-wide one (tests, one-off runners). */
export function jobRegistry(defs: readonly JobDefinition[]): JobRegistry {
  return Object.fromEntries(defs.map((d) => [d.type, d]));
}
