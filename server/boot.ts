/**
 * Everything the server does before it serves: validate the configuration, resolve the auth secret, open the
 * database (taking the embedded data-directory lock), apply pending migrations, and seed the demo tenant on a
 * first local start. Runs inside the server process (instrumentation.ts), so `npm start` and
 * `npm run build && npm start` behave the same. Any failure here stops the process with a message that names the
 * cause; a half-configured server never starts.
 */
import fs from "node:fs";
import path from "node:path";
import { verifyPassword } from "./auth/password.ts";
import { getDbHandle, openPostgres, pingDatabase, type DbHandle } from "./db/client.ts";
import { DataDirLockedError } from "./db/lock.ts";
import { applyMigrations } from "./db/schema-engine.ts";
import { ConfigError, getDatabaseConfig, getEnv, publishAuthEnv, type Env } from "./env.ts";
import { emailJobDeps, emailJobs } from "./email/send-email-job.ts";
import { registerJobs } from "./jobs/registry.ts";
import { startJobWorker } from "./jobs/worker.ts";
import { DEMO_OWNER_EMAIL, isDatabaseEmpty, seedDemo } from "../prisma/seed.ts";

/** Every job type the server runs (the CLI and the tests register the same list). */
export const appJobs = [...emailJobs];

function fail(message: string): never {
  console.error(`\nRoster cannot start: ${message}\n`);
  process.exit(1);
}

export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

export async function migrateHandle(handle: DbHandle) {
  if (handle.kind === "pglite") return applyMigrations({ kind: "pglite", client: handle.pglite! });
  // The schema engine holds a session-level advisory lock until its connection closes; behind PgBouncer in
  // transaction mode that lock would outlive it on a shared server connection and block the next migrator. So with
  // DATABASE_DIRECT_URL set, migrations get a connection of their own, straight to PostgreSQL. (Per-test schemas
  // never go through a pooler.)
  const directUrl = handle.schema ? null : getDatabaseConfig().directUrl;
  if (directUrl) {
    const direct = openPostgres(directUrl, { max: 1 });
    try {
      return await applyMigrations({ kind: "postgres", pool: direct.pool! });
    } finally {
      await direct.close();
    }
  }
  return applyMigrations({ kind: "postgres", pool: handle.pool!, ...(handle.schema ? { schema: handle.schema } : {}) });
}

async function printDemoSignIn(env: Env, handle: DbHandle): Promise<void> {
  const file = path.join(env.dataDir, "demo-credentials.json");
  if (await isDatabaseEmpty(handle.prisma)) {
    const demo = await seedDemo(handle.prisma);
    fs.writeFileSync(/* turbopackIgnore: true */ file, JSON.stringify(demo), { mode: 0o600 });
    console.log(`Seeded the demo tenant "${demo.tenantSlug}".`);
    console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
    return;
  }
  // Later starts repeat the hint while the demo password is unchanged, so a newcomer who missed it is not locked out.
  try {
    const demo = JSON.parse(fs.readFileSync(/* turbopackIgnore: true */ file, "utf8")) as { email: string; password: string };
    const owner = await handle.prisma.user.findUnique({ where: { email: DEMO_OWNER_EMAIL }, select: { passwordHash: true } });
    if (owner?.passwordHash && (await verifyPassword(owner.passwordHash, demo.password))) {
      console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
    }
  } catch {
    // No demo file: not a demo database.
  }
}

const globalForBoot = globalThis as unknown as { rosterBoot?: Promise<void> };

/**
 * Once per process, whoever asks first: serve.ts before it listens (its API door answers without Next, and Next
 * runs instrumentation only on the first request it handles itself), then instrumentation.ts, which gets the same
 * promise (the two load this module separately, hence globalThis).
 */
export function boot(): Promise<void> {
  globalForBoot.rosterBoot ??= bootSteps().catch((e: unknown) => {
    // Next keeps a process whose instrumentation threw alive but never answering; stop it instead.
    fail(`unexpected error during start-up: ${(e as Error)?.message ?? String(e)}`);
  });
  return globalForBoot.rosterBoot;
}

async function bootSteps(): Promise<void> {
  let env: Env;
  try {
    env = getEnv();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  publishAuthEnv(env);

  let handle: DbHandle;
  try {
    handle = await getDbHandle();
  } catch (e) {
    if (e instanceof DataDirLockedError) fail(e.message);
    fail(`could not open the embedded database in ${env.dataDir}: ${(e as Error).message}`);
  }
  if (env.databaseUrl && !(await pingDatabase(handle.prisma, 10_000))) {
    fail(`the database at ${describeDatabase(env.databaseUrl)} (DATABASE_URL) is unreachable. Check that PostgreSQL runs and the URL is right.`);
  }
  try {
    const { applied } = await migrateHandle(handle);
    if (applied.length) console.log(`Applied ${applied.length} migration(s): ${applied.join(", ")}`);
  } catch (e) {
    fail(`database migration failed: ${(e as Error).message}`);
  }
  if (env.embedded) await printDemoSignIn(env, handle);
  console.log(`Roster is ready at ${env.publicUrl} (${env.embedded ? `embedded database in ${env.dataDir}` : `PostgreSQL at ${describeDatabase(env.databaseUrl!)}`})`);
  // Queued emails and other background jobs run after their transaction committed (unref'd timer; see server/jobs).
  // The queue knows no job type: each subsystem contributes its jobs and their dependencies here.
  registerJobs(appJobs);
  startJobWorker(handle.prisma, { deps: () => emailJobDeps(getEnv()), leaseMs: env.jobLeaseMs, intervalMs: env.jobPollMs });
}
