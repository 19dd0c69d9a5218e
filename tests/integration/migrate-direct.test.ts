/**
 * DATABASE_DIRECT_URL (PostgreSQL only): migrations run on a connection of their own to the direct URL, never through
 * the app's pool (which may point at PgBouncer in transaction mode, where the schema engine's session-level advisory
 * lock would outlive the migration). The app pool here points at a closed port: migrating can only succeed directly.
 */
import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { migrateHandle } from "../../server/boot.ts";
import { openPostgres, type DbHandle } from "../../server/db/client.ts";
import { adminQuery, testDatabaseUrl, testDbKind } from "../helpers/db.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { freePort } from "../e2e/helpers/app-server.ts";

describeOnlyIf(testDbKind() === "postgres")("migrations with DATABASE_DIRECT_URL", () => {
  const name = `roster_direct_${crypto.randomBytes(5).toString("hex")}`;
  let directUrl: string;
  let unreachable: DbHandle;

  beforeAll(async () => {
    await adminQuery(testDatabaseUrl(), `CREATE DATABASE "${name}"`);
    const u = new URL(testDatabaseUrl());
    u.pathname = `/${name}`;
    directUrl = u.toString();
    const bouncer = new URL(directUrl);
    bouncer.port = String(await freePort()); // nothing listens there
    unreachable = openPostgres(bouncer.toString(), { max: 1 });
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await unreachable?.close();
    await adminQuery(testDatabaseUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it("should apply the migrations over the direct URL, not the app's pool, and close that connection after", async () => {
    vi.stubEnv("DATABASE_URL", unreachable.pool!.options.connectionString!);
    vi.stubEnv("DATABASE_DIRECT_URL", directUrl);
    const { applied } = await migrateHandle(unreachable);
    expect(applied.length).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: directUrl });
    await client.connect();
    try {
      const done = await client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
      expect(done.rows[0].n).toBe(applied.length);
      // The engine's connection is gone, and its session-level lock with it.
      const locks = await client.query(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = $1`, [name]);
      expect(locks.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    // A second run finds nothing to do.
    expect((await migrateHandle(unreachable)).applied).toEqual([]);
  });
});
