/**
 * A fresh, migrated database per test file, never a mock. TEST_DB (set per Vitest project) picks the engine:
 * - pglite: an in-memory PGlite loaded from the template tarball that tests/global-setup.ts built;
 * - postgres: a new schema `t_<random>` inside TEST_DATABASE_URL's database, migrated, dropped afterwards.
 * `useTestDb()` also installs the handle as the process-wide one (setDbHandle), so route handlers that call
 * getDb() hit the same database as the test.
 */
import fs from "node:fs/promises";
import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { openPostgres, pgliteHandle, setDbHandle, type Db, type DbHandle } from "../../server/db/client.ts";
import { applyMigrations } from "../../server/db/schema-engine.ts";
import { createPglite } from "../../server/db/pglite.ts";
import { appJobs } from "../../server/boot.ts";
import { registerJobs } from "../../server/jobs/registry.ts";

export type TestDbKind = "pglite" | "postgres";

export function testDbKind(): TestDbKind {
  const kind = process.env.TEST_DB ?? "pglite";
  if (kind !== "pglite" && kind !== "postgres") throw new Error(`TEST_DB must be pglite or postgres, got "${kind}"`);
  return kind;
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");
  return url;
}

export async function openPgliteFromTemplate(): Promise<DbHandle> {
  const tar = inject("pgliteTemplate");
  return pgliteHandle(await createPglite(undefined, { loadDataDir: new Blob([await fs.readFile(tar)]) }));
}

/** Runs one statement on a short-lived connection outside any test schema. */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let trgmReady: Promise<void> | undefined;

/**
 * The migrations' `CREATE EXTENSION IF NOT EXISTS pg_trgm` is not safe against itself: test files migrating their
 * schemas side by side can both try to create it and one fails on pg_extension's unique key. Create it up front
 * (once per worker; a lost race means another worker created it, which is all we need).
 */
function ensureTrigram(url: string): Promise<void> {
  trgmReady ??= adminQuery(url, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").catch(() => undefined);
  return trgmReady;
}

export async function openPostgresSchema(url = testDatabaseUrl()): Promise<DbHandle> {
  await ensureTrigram(url);
  const schema = `t_${crypto.randomBytes(6).toString("hex")}`;
  await adminQuery(url, `CREATE SCHEMA "${schema}"`);
  const handle = openPostgres(url, { schema, max: 4 });
  try {
    // The engine needs the same schema as the client, or it looks for public._prisma_migrations (STACK.md §8).
    await applyMigrations({ kind: "postgres", pool: handle.pool!, schema });
  } catch (e) {
    await handle.close();
    await adminQuery(url, `DROP SCHEMA "${schema}" CASCADE`);
    throw e;
  }
  return {
    ...handle,
    async close() {
      await handle.close();
      await adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

export function openTestDb(kind: TestDbKind = testDbKind()): Promise<DbHandle> {
  return kind === "pglite" ? openPgliteFromTemplate() : openPostgresSchema();
}

export type TestDb = { readonly db: Db; readonly handle: DbHandle; readonly kind: TestDbKind };

/** Registers beforeAll/afterAll hooks for a fresh database shared by the tests of the calling file. */
export function useTestDb(): TestDb {
  let handle: DbHandle | undefined;
  const kind = testDbKind();
  beforeAll(async () => {
    // Tests run jobs with runDueJobs as the server's worker would: the same job types (server/boot.ts).
    registerJobs(appJobs);
    handle = await openTestDb(kind);
    setDbHandle(handle);
  });
  afterAll(async () => {
    setDbHandle(null);
    await handle?.close();
  });
  const current = () => {
    if (!handle) throw new Error("useTestDb(): the database is opened in beforeAll; use it inside tests or hooks");
    return handle;
  };
  return {
    kind,
    get db() {
      return current().prisma;
    },
    get handle() {
      return current();
    },
  };
}
