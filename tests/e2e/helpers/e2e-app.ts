/**
 * One running app per e2e file, on the database the project names (TEST_DB):
 * - pglite: a fresh DATA_DIR; the server seeds the demo tenant on its first start and prints `Demo sign-in:`.
 * - postgres: a fresh database; the tenant is created with the CLI BEFORE the server starts (as an operator
 *   would), then the server runs with DATABASE_URL and NEXTAUTH_SECRET.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDbKind, type TestDbKind } from "../../helpers/db.ts";
import { DIST_DIR, parseDemoSignIn, ROOT, startAppServer, type AppServer } from "./app-server.ts";
import { runCliJson } from "./cli.ts";
import { createE2eDatabase, type E2eDatabase } from "./postgres.ts";

/**
 * Why the server-backed e2e tests cannot run here, or null when they can. Without a build they fail under CI (where
 * .ci/run builds first) but skip locally with a warning; tests/run.ts sets E2E_SERVER=skip when it chose not to
 * build (no Chromium locally), so an outdated build is never what gets tested.
 */
export function serverSkipReason(): string | null {
  if (process.env.E2E_SERVER === "skip") return "npm test did not build the app (no Chromium here)";
  if (!process.env.CI && !fs.existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"))) return "no production build (run `npm run build`)";
  return null;
}

export type E2eApp = {
  kind: TestDbKind;
  server: AppServer;
  owner: { email: string; password: string };
  /** Known up front on PostgreSQL (created by the CLI); on PGlite it is the demo tenant, learned after sign-in. */
  tenant: { slug: string; name: string } | null;
  /** DATABASE_URL and NEXTAUTH_SECRET on PostgreSQL (for CLI calls beside the server); DATA_DIR on PGlite. */
  dbEnv: Record<string, string>;
  close(): Promise<void>;
};

/** `serverEnv` is added to the server's environment only (e.g. an https NEXTAUTH_URL). */
export async function startE2eApp(opts: { serverEnv?: Record<string, string> } = {}): Promise<E2eApp> {
  const kind = testDbKind();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-e2e-"));
  let db: E2eDatabase | undefined;
  let server: AppServer | undefined;
  const close = async () => {
    await server?.stop();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (kind === "pglite") {
      server = await startAppServer({ dataDir, env: opts.serverEnv });
      return { kind, server, owner: parseDemoSignIn(server.output()), tenant: null, dbEnv: { DATA_DIR: dataDir }, close };
    }
    db = await createE2eDatabase();
    const dbEnv = { DATABASE_URL: db.url, NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"), DATA_ENCRYPTION_KEY: crypto.randomBytes(32).toString("hex"), DATA_DIR: dataDir };
    const owner = { email: `owner-${crypto.randomBytes(3).toString("hex")}@e2e.test`, password: "e2e-owner-password-1" };
    const created = runCliJson<{ tenant: { id: number; slug: string; name: string }; owner: { id: number; email: string } }>(
      ["tenant:create", "--name", "E2E Logistics", "--owner-email", owner.email, "--owner-password", owner.password],
      dbEnv,
    );
    server = await startAppServer({ dataDir, env: { ...dbEnv, ...(opts.serverEnv ?? {}) } });
    return { kind, server, owner, tenant: { slug: created.tenant.slug, name: created.tenant.name }, dbEnv, close };
  } catch (e) {
    await close();
    throw e;
  }
}
