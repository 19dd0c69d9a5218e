/**
 * Runs once per integration project, in the main Vitest process. Creating a PGlite database runs initdb (2-4 s),
 * so it happens once: an in-memory PGlite is migrated and dumped to a tarball that every test file loads
 * (`loadDataDir`, about 0.5 s). The tarball is cached under node_modules/.cache/roster (or ROSTER_TEST_CACHE_DIR) and
 * keyed by the SHA-256 of prisma/migrations (plus the PGlite version, whose dump format it is), so it is rebuilt only
 * when they change. Building one deletes the other templates there: git worktrees that share one node_modules but
 * not their migrations would delete each other's template while a run loads it, so give each its own directory.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createPglite } from "../server/db/pglite.ts";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../server/db/schema-engine.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

const root = path.resolve(import.meta.dirname, "..");

function migrationsHash(): string {
  const dir = path.join(root, "prisma", "migrations");
  const hash = crypto.createHash("sha256");
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
  const paths = files.map((d) => path.relative(dir, path.join(d.parentPath, d.name))).sort();
  for (const p of paths) hash.update(p).update("\0").update(fs.readFileSync(path.join(dir, p))).update("\0");
  const pgliteVersion = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@electric-sql/pglite/package.json"), "utf8")).version;
  return hash.update(pgliteVersion).digest("hex");
}

export async function buildTemplate(): Promise<string> {
  const cacheDir = process.env.ROSTER_TEST_CACHE_DIR || path.join(root, "node_modules", ".cache", "roster");
  const file = path.join(cacheDir, `test-template-${migrationsHash().slice(0, 16)}.tar`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  const pg = await createPglite();
  try {
    await applyMigrations({ kind: "pglite", client: pg });
    const dump = await pg.dumpDataDir("none");
    // Write then rename: two projects' setups (or two runs) must never see a half-written template.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
  } finally {
    await pg.close();
  }
  for (const old of fs.readdirSync(cacheDir)) {
    if (old.startsWith("test-template-") && path.join(cacheDir, old) !== file && !old.endsWith(".tmp")) {
      fs.rmSync(path.join(cacheDir, old), { force: true });
    }
  }
  console.log(`[global-setup] built the migrated PGlite template in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

export default async function setup(project: TestProject) {
  project.provide("pgliteTemplate", await buildTemplate());
}
