/**
 * The demo tenant ("northwind", prisma/seed.ts) on either database, for the access e2e files (members, units,
 * per-unit permissions). Unlike startE2eApp, the data is created with the operator CLI BEFORE the server starts, the
 * same way on PGlite and PostgreSQL, so both projects test the same tenant:
 * - `db:seed` fills the empty database with the demo tenant and prints the owner's sign-in;
 * - `unit:create` adds a fresh unit and `member:add` a worker with a KNOWN password at it (the seeded members have
 *   random passwords), so a test can sign in as someone who may not manage access.
 * Then `next start` runs on that database (PGlite: the data directory, which the CLI has closed by then).
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { testDbKind, type TestDbKind } from "../../helpers/db.ts";
import { childEnv, parseDemoSignIn, ROOT, startAppServer, type AppServer } from "./app-server.ts";
import { runCliJson } from "./cli.ts";
import { createE2eDatabase, type E2eDatabase } from "./postgres.ts";

export const DEMO_TENANT = "northwind";
export const TENANT_PATH = /\/t\/northwind$/;

export type Credentials = { email: string; password: string };

export type AccessApp = {
  kind: TestDbKind;
  server: AppServer;
  owner: Credentials;
  /** A worker (tenant role and unit role "worker") with no right to read members or manage access. */
  worker: Credentials & { userId: number; membershipId: number };
  /** The unit created for the worker beside the demo units. */
  depot: { id: number; name: string };
  /** DATA_DIR, or DATABASE_URL and NEXTAUTH_SECRET: what a CLI call beside the server needs. */
  dbEnv: Record<string, string>;
  close(): Promise<void>;
};

export const DEPOT_NAME = "E2E Depot";

/**
 * Seeds and starts the app. `unitName` names the worker's unit; `serverEnv` is added to the server's environment
 * only (e.g. SMTP_URL); `onClose` runs after the server stopped (e.g. stopping an SMTP sink).
 */
export async function startAccessApp(
  opts: { unitName?: string; serverEnv?: Record<string, string>; onClose?: () => Promise<void> } = {},
): Promise<AccessApp> {
  const kind = testDbKind();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-e2e-access-"));
  let db: E2eDatabase | undefined;
  let server: AppServer | undefined;
  const close = async () => {
    await server?.stop();
    await opts.onClose?.();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    let dbEnv: Record<string, string> = { DATA_DIR: dataDir };
    if (kind === "postgres") {
      db = await createE2eDatabase();
      dbEnv = { ...dbEnv, DATABASE_URL: db.url, NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"), DATA_ENCRYPTION_KEY: crypto.randomBytes(32).toString("hex") };
    }
    const seed = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["server/cli/db-seed.ts"], {
      cwd: ROOT, env: childEnv(dbEnv), encoding: "utf8", timeout: 90_000,
    });
    if (seed.status !== 0) throw new Error(`db:seed exited ${seed.status}\nstdout: ${seed.stdout}\nstderr: ${seed.stderr}`);
    const owner = parseDemoSignIn(seed.stdout);

    const { unit } = runCliJson<{ unit: { id: number; name: string } }>(
      ["unit:create", "--tenant", DEMO_TENANT, "--name", opts.unitName ?? DEPOT_NAME, "--kind", "LOCATION"], dbEnv);
    const worker = { email: `worker-${crypto.randomBytes(3).toString("hex")}@e2e.test`, password: "e2e-worker-password-1" };
    const added = runCliJson<{ user: { id: number }; membership: { id: number } }>(
      ["member:add", "--tenant", DEMO_TENANT, "--email", worker.email, "--password", worker.password, "--role", "worker", "--unit", String(unit.id)],
      dbEnv,
    );
    server = await startAppServer({ dataDir, env: { ...dbEnv, ...(opts.serverEnv ?? {}) } });
    return {
      kind, server, owner, dbEnv, depot: { id: unit.id, name: unit.name },
      worker: { ...worker, userId: added.user.id, membershipId: added.membership.id },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** A fresh browser context (own cookies) signed in as `who`, on the tenant home page. */
export async function signedInPage(browser: Browser, app: AccessApp, who: Credentials, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(TENANT_PATH);
  return page;
}

/** Searches the members list for `query` and opens the member whose row links with `name`; returns the membership id. */
export async function openMemberFromList(page: Page, query: string, name: string): Promise<number> {
  await page.goto(`/t/${DEMO_TENANT}/members`);
  await page.getByTestId("members-search").fill(query);
  await Promise.all([page.waitForURL(/\/members\?q=/), page.getByTestId("members-search").press("Enter")]);
  await page.getByRole("link", { name, exact: true }).click();
  await page.waitForURL(/\/members\/\d+$/);
  await page.getByTestId("member-detail").waitFor({ state: "visible" });
  return Number(/\/members\/(\d+)$/.exec(page.url())![1]);
}

/** True for the tRPC batch request that ran `procedure` (httpBatchLink: /api/trpc/a.b,c.d?batch=1). */
export const isTrpcCall = (url: string, procedure: string) => {
  const u = new URL(url);
  return u.pathname.startsWith("/api/trpc/") && u.pathname.slice("/api/trpc/".length).split(",").includes(procedure);
};
