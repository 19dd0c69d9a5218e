/**
 * Start-up refusals: the built server, started with a bad configuration, exits non-zero with a message that names
 * the cause, and never serves. Runs once (its cases pick their own databases), in the PGlite e2e project.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { childEnv, freePort, ROOT, serverCommand } from "./helpers/app-server.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";

// Its cases choose their own databases, so it runs in the PGlite e2e project only (see vitest.config.ts).
const skipReason = serverSkipReason();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Starts the server (as `npm start` does) and resolves with its exit code and output once it exits (or kills it after `ms`). */
async function startExpectingExit(env: Record<string, string>, ms = 60_000): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-boot-"));
  dirs.push(dataDir);
  const child = spawn(process.execPath, serverCommand(port), {
    cwd: ROOT,
    env: childEnv({ DATA_DIR: dataDir, ...env }),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += String(d)));
  child.stderr!.on("data", (d) => (output += String(d)));
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), ms);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

describe.skipIf(!!skipReason)("the server refuses to start with a bad configuration", () => {
  it("should name NEXTAUTH_SECRET when DATABASE_URL is set without it", async () => {
    const { code, output } = await startExpectingExit({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres" });
    expect(code).toBe(1);
    expect(output).toContain("NEXTAUTH_SECRET");
    expect(output).toContain("Roster cannot start");
  });

  it("should name DATA_ENCRYPTION_KEY when DATABASE_URL is set without it", async () => {
    const { code, output } = await startExpectingExit({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres", NEXTAUTH_SECRET: "x".repeat(40) });
    expect(code).toBe(1);
    expect(output).toContain("DATA_ENCRYPTION_KEY: required when DATABASE_URL is set");
  });

  it("should name DATABASE_URL when it is not a postgres URL", async () => {
    const { code, output } = await startExpectingExit({ DATABASE_URL: "mysql://localhost/x" });
    expect(code).toBe(1);
    expect(output).toMatch(/DATABASE_URL: must be a postgres/);
  });

  it("should say the database is unreachable when nothing listens at DATABASE_URL", async () => {
    const { code, output } = await startExpectingExit({
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/roster",
      NEXTAUTH_SECRET: "x".repeat(40),
      DATA_ENCRYPTION_KEY: "ab".repeat(32),
    });
    expect(code).toBe(1);
    expect(output).toContain("127.0.0.1:1/roster (DATABASE_URL) is unreachable");
  });

  it("should refuse a second server on the same embedded data directory", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-boot-lock-"));
    dirs.push(dataDir);
    // A live process (this test runner) holds the lock, as a running server would.
    fs.writeFileSync(path.join(dataDir, "roster.lock"), JSON.stringify({ pid: process.pid, role: "server", host: os.hostname(), since: "" }));
    const { code, output } = await startExpectingExit({ DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toContain("the server is running on this data directory");
  });
});
