/**
 * Test projects (STACK.md §8):
 * - unit: pure code, no database.
 * - integration / integration-postgres: the same files against a real database, one fresh database per file
 *   (PGlite from a migrated template, or a fresh PostgreSQL schema); TEST_DB tells tests/helpers/db.ts which.
 * - e2e / e2e-postgres: the built app under `next start` plus Chromium; one file at a time, after the rest.
 * The -postgres projects exist only when TEST_DATABASE_URL is set. `npm test` (tests/run.ts) picks the projects.
 */
import os from "node:os";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const root = import.meta.dirname;
const withPostgres = !!process.env.TEST_DATABASE_URL;

// Files that apply to one database only: the other project does not load them (a file that registers no suite is
// an error in Vitest, and a skipped one would hide trouble).
const ONLY_PGLITE = ["tests/integration/pglite-factory.test.ts", "tests/integration/import-members-cli.test.ts"];
const ONLY_POSTGRES = ["tests/integration/migrate-direct.test.ts", "tests/integration/prepared-statements.test.ts"];

const integration = (name: string, db: "pglite" | "postgres") => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/integration/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(db === "postgres" ? ONLY_PGLITE : ONLY_POSTGRES)],
    env: { TEST_DB: db },
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    sequence: { groupOrder: 0 },
  },
});

const e2e = (name: string, db: "pglite" | "postgres") => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/e2e/**/*.test.ts"],
    // The start-up refusal cases pick their own databases: once is enough. Two instances need one shared PostgreSQL.
    // The browser-only sweeps (axe, tables on phones, the current menu item on every page) look at pages, and the
    // database behind them changes nothing they check: each runs once, split between the projects that run side by
    // side so neither waits on the other.
    exclude:
      db === "postgres"
        ? ["tests/e2e/boot.test.ts", "tests/e2e/axe.test.ts", "tests/e2e/phone-tables.test.ts"]
        : ["tests/e2e/two-instances.test.ts", "tests/e2e/navigation.test.ts"],
    env: { TEST_DB: db },
    testTimeout: 60_000,
    // Starting the server (migrations, demo seed) can take a while on a loaded 2-core machine.
    hookTimeout: 180_000,
    // One file (one server, one browser) at a time per project, after the other suites so they do not compete for
    // the cores. e2e and e2e-postgres run side by side: most of their time is spent waiting on servers and pages.
    fileParallelism: false,
    sequence: { groupOrder: 1 },
  },
});

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // The real package throws outside React Server Components; server code imports it as a guard only.
      "server-only": path.join(root, "tests/helpers/server-only.ts"),
    },
  },
  test: {
    pool: "forks",
    // Vitest's default is one worker per core minus one: a single worker on the 2-core CI machine. Test files spend
    // much of their time waiting (argon2 off the main thread, PostgreSQL round trips), so use every core.
    maxWorkers: Math.max(2, os.availableParallelism()),
    exclude: [...configDefaults.exclude, ".next/**", "data/**"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 20_000, sequence: { groupOrder: 0 } },
      },
      integration("integration", "pglite"),
      ...(withPostgres ? [integration("integration-postgres", "postgres")] : []),
      e2e("e2e", "pglite"),
      ...(withPostgres ? [e2e("e2e-postgres", "postgres")] : []),
    ],
  },
});
