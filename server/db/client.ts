/**
 * Database handles. The app runs on PGlite (embedded, persisted under DATA_DIR/pglite) when DATABASE_URL is unset
 * and on PostgreSQL otherwise; both behind one Prisma schema. The process-wide handle lives on globalThis and opens
 * lazily: `next build` imports route modules in worker processes and must never touch the data directory, and the
 * instrumentation hook, route bundles and dev reloads must share one PGlite instance.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client.ts";
import { acquireDataDirLock, type LockRole } from "./lock.ts";
import { createPglite } from "./pglite.ts";
import { getDatabaseConfig } from "../env.ts";

export { PrismaClient };
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export type DbHandle = {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  pglite?: PGlite;
  pool?: pg.Pool;
  schema?: string;
  close(): Promise<void>;
};

export function createPrismaClient(adapter: SqlDriverAdapterFactory): PrismaClient {
  return new PrismaClient({ adapter });
}

/** Opens the embedded database, taking the data-directory lock first (see lock.ts). */
export async function openPglite(dataDir: string, role: LockRole): Promise<DbHandle> {
  acquireDataDirLock(dataDir, role);
  const dir = path.join(dataDir, "pglite");
  // PGlite does not create parent directories.
  fs.mkdirSync(/* turbopackIgnore: true */ dir, { recursive: true });
  return pgliteHandle(await createPglite(dir));
}

/** A handle over an open PGlite instance (the server's data directory, or a test's in-memory copy). */
export function pgliteHandle(pglite: PGlite): DbHandle {
  const prisma = createPrismaClient(new PrismaPGlite(pglite));
  return {
    prisma,
    kind: "pglite",
    pglite,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** A comment that keeps a statement unnamed, so PostgreSQL plans it for each call's values (see statementNames). */
export const PLAN_PER_CALL = "/* plan per call */";

/** How many distinct statements one process names before it sends further new ones unnamed (see below). */
export const MAX_NAMED_STATEMENTS = 5_000;

/**
 * Names for Prisma's pg adapter (`statementNameGenerator`): the same SQL text always gets the same name, so `pg`
 * prepares it once per connection (Parse) and PostgreSQL may keep its plan; later calls only Bind and Execute. The
 * context statement and the mutations' CTEs spent more time being parsed and planned (about 1.5 ms each) than run.
 * The texts come from the code's templates, so they are few; past MAX_NAMED_STATEMENTS new texts go unnamed, which
 * bounds what each connection keeps.
 *
 * Statements with a LIKE stay unnamed: how selective the pattern is decides their plan (the trigram index for a rare
 * substring, an index walk in page order for a common one), and the generic plan PostgreSQL switches a named
 * statement to cannot see the pattern. At 100,000 members a named search took twice as long as an unnamed one.
 * So do statements whose SQL carries the PLAN_PER_CALL comment: the REST lists of every row, whose generic plan was
 * several times slower and which gain nothing from skipping a plan.
 */
export function statementNames(): (query: { sql: string }) => string | undefined {
  // By text: a Map lookup costs a string hash, where a SHA-1 of a 4 kB statement per call was 0.4 ms per request.
  const byText = new Map<string, string | undefined>();
  return ({ sql }) => {
    const known = byText.get(sql);
    if (known !== undefined || byText.has(sql)) return known;
    if (byText.size >= MAX_NAMED_STATEMENTS) return undefined;
    const name = /\bLIKE\b/i.test(sql) || sql.includes(PLAN_PER_CALL) ? undefined : `r${crypto.createHash("sha1").update(sql).digest("base64url")}`;
    byText.set(sql, name);
    return name;
  };
}

export function openPostgres(url: string, opts: { schema?: string; max?: number; preparedStatements?: boolean } = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(opts.schema ? { options: `-c search_path="${opts.schema}"` } : {}),
  });
  // A client that loses its server must not crash the process; the next query reports the failure. The pool's own
  // listener covers idle clients only: a checked-out one (inside a transaction) whose backend is killed between two
  // queries would otherwise emit an unhandled 'error' and take the whole server down.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const prisma = createPrismaClient(
    new PrismaPg(pool, {
      ...(opts.schema ? { schema: opts.schema } : {}),
      // Typed as always naming; the adapter hands the result to pg as `name`, where undefined means unnamed.
      ...(opts.preparedStatements !== false ? { statementNameGenerator: statementNames() as (query: { sql: string }) => string } : {}),
    }),
  );
  return {
    prisma,
    kind: "postgres",
    pool,
    ...(opts.schema ? { schema: opts.schema } : {}),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Opens the database the configuration names. */
export async function openConfiguredDatabase(role: LockRole): Promise<DbHandle> {
  const { databaseUrl, dataDir, poolMax, preparedStatements } = getDatabaseConfig();
  return databaseUrl ? openPostgres(databaseUrl, { max: poolMax, preparedStatements }) : openPglite(dataDir, role);
}

const globalForDb = globalThis as unknown as { rosterDb?: Promise<DbHandle> };

/** The process-wide handle (the server's). */
export function getDbHandle(): Promise<DbHandle> {
  globalForDb.rosterDb ??= openConfiguredDatabase("server").catch((e: unknown) => {
    delete globalForDb.rosterDb;
    throw e;
  });
  return globalForDb.rosterDb;
}

export async function getDb(): Promise<PrismaClient> {
  return (await getDbHandle()).prisma;
}

/** Lets tests and the CLI install their own handle as the process-wide one. */
export function setDbHandle(handle: DbHandle | null): void {
  if (handle) globalForDb.rosterDb = Promise.resolve(handle);
  else delete globalForDb.rosterDb;
}

/** Round trip to the database with a deadline; used by /api/health. */
export async function pingDatabase(db: PrismaClient, timeoutMs = 3_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    await Promise.race([db.$queryRaw`SELECT 1`, deadline]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
