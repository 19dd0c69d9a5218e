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

/**
 * A project root holding the committed schema and migrations plus `extra` migrations (name -> SQL); with `upTo`, only
 * the committed migrations that sort before that name (the database as it was before it).
 */
function projectRoot(label: string, extra: Record<string, string> = {}, upTo?: string): string {
  const root = path.join(tmpBase, label);
  fs.mkdirSync(path.join(root, "prisma"), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, "prisma", "schema.prisma"), path.join(root, "prisma", "schema.prisma"));
  fs.cpSync(committed, path.join(root, "prisma", "migrations"), {
    recursive: true,
    filter: (src) => {
      const top = path.relative(committed, src).split(path.sep)[0]!;
      return upTo === undefined || !/^\d/.test(top) || top.localeCompare(upTo) < 0;
    },
  });
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

/** The migration that keys every tenant table by tenantId (and moves account events out of AuditEvent). */
const TENANT_KEYS = "20261207053829_tenant_keys";

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

    it("should move the audit events without a tenant to AccountEvent when it keys the tenant tables by tenant", async () => {
      const db = await open();
      try {
        await inRoot(projectRoot(`${kind}-before-tenant-keys`, {}, TENANT_KEYS), () => applyMigrations(db.target));
        await db.query(`INSERT INTO "Tenant" ("slug", "name", "updatedAt") VALUES ('a', 'A', now())`);
        await db.query(`INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", "action", "targetType", "targetId", "createdAt") VALUES
          (1, 'USER', 7, 'unit.created', 'unit', '1', '2026-01-01'), (NULL, 'USER', 7, 'user.password_changed', 'user', '7', '2026-01-02'),
          (NULL, 'USER', 8, 'session.revoked', 'session', '5', '2026-01-03'), (1, 'SYSTEM', NULL, 'tenant.settings_changed', 'tenant', '1', '2026-01-04')`);
        expect(await inRoot(projectRoot(`${kind}-tenant-keys`), () => applyMigrations(db.target))).toEqual({
          applied: committedNames.filter((n) => n.localeCompare(TENANT_KEYS) >= 0),
        });
        expect(await db.query(`SELECT "tenantId", "action" FROM "AuditEvent" ORDER BY "id"`)).toEqual([
          { tenantId: 1, action: "unit.created" }, { tenantId: 1, action: "tenant.settings_changed" },
        ]);
        expect(await db.query(`SELECT "userId", "actorUserId", "action", "targetId" FROM "AccountEvent" ORDER BY "id"`)).toEqual([
          { userId: 7, actorUserId: 7, action: "user.password_changed", targetId: "7" },
          { userId: 8, actorUserId: 8, action: "session.revoked", targetId: "5" },
        ]);
        // The triggers of earlier migrations survive the new keys.
        expect(await db.query(`SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                                            WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY 1`)).toEqual([
          { tgname: "MembershipRole_ownerFlag_delete" }, { tgname: "MembershipRole_ownerFlag_insert" }, { tgname: "MembershipRole_ownerFlag_update" },
          { tgname: "Membership_sortKeys" }, { tgname: "User_membershipLastLogin" }, { tgname: "User_membershipSortKeys" }, { tgname: "User_searchText" },
        ]);
      } finally {
        await db.close();
      }
    }, 60_000);

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
