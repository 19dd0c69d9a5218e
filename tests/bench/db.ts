/**
 * A fresh database per bench run. With DATABASE_URL: a new database `roster_bench_<random>` on that server (created
 * and dropped over an admin connection to the URL's own database). Without: a temporary DATA_DIR for the embedded
 * PGlite, with a copy of its data directory for the floor (PGlite is one process per directory).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { PGlite } from "@electric-sql/pglite";
import { createPglite } from "../../server/db/pglite.ts";

export type Sql = {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

export type BenchDb = {
  kind: "postgres" | "pglite";
  /** What the app's env needs to find this database (DATABASE_URL, or DATA_DIR). */
  appEnv: Record<string, string>;
  /** Human description for the report. */
  describe: string;
  /** A direct SQL connection for seeding (PGlite: opens the data directory; close it before the server starts). */
  open(): Promise<Sql>;
  /** Only PGlite: copies the seeded data directory for the floor and returns its path. */
  copyForFloor(): Promise<string>;
  drop(): Promise<void>;
};

export function sqlOverPg(client: pg.Client | pg.Pool): Sql {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}

export function sqlOverPglite(db: PGlite): Sql {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
    async close() {
      await db.close();
    },
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createBenchDb(databaseUrl: string | undefined): Promise<BenchDb> {
  if (databaseUrl) {
    const name = `roster_bench_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const url = withDatabase(databaseUrl, name);
    let dropped = false;
    return {
      kind: "postgres",
      appEnv: { DATABASE_URL: url },
      describe: `PostgreSQL ${new URL(url).host}/${name} (fresh database, dropped at the end)`,
      async open() {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        return sqlOverPg(c);
      },
      async copyForFloor() {
        throw new Error("PostgreSQL: the floor shares the database");
      },
      async drop() {
        if (dropped) return;
        dropped = true;
        const a = new pg.Client({ connectionString: databaseUrl });
        await a.connect();
        try {
          await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await a.end();
        }
      },
    };
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "roster-bench-"));
  const dataDir = path.join(root, "app");
  fs.mkdirSync(dataDir);
  return {
    kind: "pglite",
    appEnv: { DATA_DIR: dataDir },
    describe: `embedded PGlite in ${dataDir} (temporary; the floor runs its own PGlite over a copy of the seeded data directory)`,
    async open() {
      return sqlOverPglite(await createPglite(path.join(dataDir, "pglite")));
    },
    async copyForFloor() {
      const dest = path.join(root, "floor");
      fs.cpSync(path.join(dataDir, "pglite"), path.join(dest, "pglite"), { recursive: true });
      return path.join(dest, "pglite");
    },
    async drop() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
