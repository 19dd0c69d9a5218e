/**
 * The wasm migration runner against real databases. Each scenario runs in a scratch project root (the committed
 * schema, a chosen set of migrations, node_modules linked) because the runner reads prisma/ from process.cwd(),
 * exactly as it does in the server bundle. TEST_DB (set per Vitest project) picks the database: the PGlite project
 * also checks that the committed migrations match the schema; the PostgreSQL project uses one schema per scenario.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { clonePglite, createPglite } from "../../server/db/pglite.ts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { applyMigrations, diffMigration, type MigrationTarget } from "../../server/db/schema-engine.ts";

const repoRoot = process.cwd();
const committed = path.join(repoRoot, "prisma", "migrations");
const tmpBase = fs.mkdtempSync(path.join(os.tmpdir(), "roster-migrations-"));

const PLPGSQL = `CREATE TABLE "Probe" ("id" SERIAL PRIMARY KEY, "note" TEXT NOT NULL DEFAULT 'a;b', "touched" INTEGER NOT NULL DEFAULT 0);
CREATE FUNCTION probe_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."touched" := NEW."touched" + 1;
  RETURN NEW;
END;
$$;
CREATE TRIGGER probe_touch BEFORE INSERT ON "Probe" FOR EACH ROW EXECUTE FUNCTION probe_touch();
`;
const BROKEN = `ALTER TABLE "DoesNotExist" ADD COLUMN "x" INTEGER;\n`;

/** A project root holding the committed schema and migrations plus `extra` migrations (name -> SQL). */
function projectRoot(label: string, extra: Record<string, string> = {}): string {
  const root = path.join(tmpBase, label);
  fs.mkdirSync(path.join(root, "prisma"), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, "prisma", "schema.prisma"), path.join(root, "prisma", "schema.prisma"));
  fs.cpSync(committed, path.join(root, "prisma", "migrations"), { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(root, "prisma", "migrations", name));
    fs.writeFileSync(path.join(root, "prisma", "migrations", name, "migration.sql"), sql);
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"), "dir");
  return root;
}

async function inRoot<T>(root: string, work: () => Promise<T>): Promise<T> {
  process.chdir(root);
  try {
    return await work();
  } finally {
    process.chdir(repoRoot);
  }
}

const testDb = process.env.TEST_DB ?? "pglite";
const pgUrl = process.env.TEST_DATABASE_URL;
const onPostgres = testDb === "postgres";
if (onPostgres && !pgUrl) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL");

const committedNames = fs
  .readdirSync(committed, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

type Db = { target: MigrationTarget; query(sql: string): Promise<unknown[]>; close(): Promise<void> };

function applySuite(kind: string, open: () => Promise<Db>) {
  describe(`applyMigrations on ${kind}`, () => {
    it("should apply the committed migrations once and leave the caller's handle open", async () => {
      const db = await open();
      try {
        const root = projectRoot(`${kind}-committed`);
        expect(await inRoot(root, () => applyMigrations(db.target))).toEqual({ applied: committedNames });
        expect(await inRoot(root, () => applyMigrations(db.target))).toEqual({ applied: [] });
        expect(await db.query(`SELECT count(*)::int AS n FROM "User"`)).toEqual([{ n: 0 }]);
      } finally {
        await db.close();
      }
    }, 30_000);

    it("should apply PL/pgSQL bodies and ';' inside literals as one script", async () => {
      const db = await open();
      try {
        const root = projectRoot(`${kind}-plpgsql`, { "99990101000000_probe": PLPGSQL });
        const { applied } = await inRoot(root, () => applyMigrations(db.target));
        expect(applied.at(-1)).toBe("99990101000000_probe");
        await db.query(`INSERT INTO "Probe" DEFAULT VALUES`);
        expect(await db.query(`SELECT "note", "touched" FROM "Probe"`)).toEqual([{ note: "a;b", touched: 1 }]);
      } finally {
        await db.close();
      }
    }, 30_000);

    it("should throw on a failing migration, record it as failed and refuse to continue", async () => {
      const db = await open();
      try {
        const root = projectRoot(`${kind}-broken`, { "99990101000000_broken": BROKEN });
        await expect(inRoot(root, () => applyMigrations(db.target))).rejects.toThrow(/99990101000000_broken/);
        const rows = await db.query(
          `SELECT "finished_at" IS NULL AS failed, "logs" IS NOT NULL AS logged FROM "_prisma_migrations" WHERE "migration_name" = '99990101000000_broken'`,
        );
        expect(rows).toEqual([{ failed: true, logged: true }]);
        await expect(inRoot(root, () => applyMigrations(db.target))).rejects.toThrow(/failed migration/i);
      } finally {
        await db.close();
      }
    }, 30_000);
  });
}

afterAll(() => fs.rmSync(tmpBase, { recursive: true, force: true }));

describeOnlyIf(!onPostgres)("PGlite", () => {
  let template: PGlite;
  beforeAll(async () => {
    template = await createPglite();
  }, 60_000);
  afterAll(() => template?.close());

  // A clone of one fresh instance is about twice as fast as initdb per scenario.
  applySuite("PGlite", async () => {
    // clone() is typed as the interface but returns a PGlite.
    const client = await clonePglite(template);
    return {
      target: { kind: "pglite", client },
      query: async (sql) => (await client.query(sql)).rows,
      close: () => client.close(),
    };
  });
});

describeOnlyIf(onPostgres)("PostgreSQL", () => {
  applySuite("PostgreSQL", async () => {
    const schema = `t_mig_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: pgUrl, max: 3, options: `-c search_path="${schema}"` });
    return {
      target: { kind: "postgres", pool, schema },
      query: async (sql) => (await pool.query(sql)).rows,
      async close() {
        await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
        await pool.end();
      },
    };
  });
});

// The engine takes pg_advisory_lock(72707369) and never unlocks it; left on an idle pooled client it blocked a second
// migrator on the same database for ~10 s (until pg reaped the client), or for as long as the app kept using it.
describeOnlyIf(onPostgres)("applyMigrations on PostgreSQL, concurrently", () => {
  it("should serialize two migrators of one schema and release the lock for the next one", async () => {
    const schema = `t_mig_${Math.random().toString(36).slice(2, 10)}`;
    const other = `${schema}_b`;
    const pools = [schema, schema, other].map(
      (s) => new pg.Pool({ connectionString: pgUrl, max: 3, options: `-c search_path="${s}"` }),
    );
    const [a, b, c] = pools as [pg.Pool, pg.Pool, pg.Pool];
    try {
      await a.query(`CREATE SCHEMA "${schema}"; CREATE SCHEMA "${other}"`);
      const root = projectRoot("PostgreSQL-concurrent");
      const results = await inRoot(root, () =>
        Promise.all([
          applyMigrations({ kind: "postgres", pool: a, schema }),
          applyMigrations({ kind: "postgres", pool: b, schema }),
        ]),
      );
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, committedNames.length]);
      // Pool a is still open and in use: its clients must not hold the engine's lock.
      await a.query("SELECT 1");
      const started = performance.now();
      expect(await inRoot(root, () => applyMigrations({ kind: "postgres", pool: c, schema: other }))).toEqual({
        applied: committedNames,
      });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await a.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${other}" CASCADE`);
      await Promise.all(pools.map((p) => p.end()));
    }
  }, 30_000);
});

describeOnlyIf(!onPostgres)("diffMigration", () => {
  it("should find nothing to add: the committed migrations match prisma/schema.prisma", async () => {
    const { path: written, sql } = await inRoot(projectRoot("diff"), () => diffMigration("drift_check"));
    expect(written, `schema and migrations differ; run npm run db:diff -- --name <name>:\n${sql}`).toBeNull();
  }, 60_000);
});
