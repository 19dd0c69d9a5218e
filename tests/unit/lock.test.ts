/** server/db/lock.ts: one process per PGlite data directory, enforced across processes; stale locks recover. */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, releaseDataDirLock } from "../../server/db/lock.ts";

const child = path.resolve(import.meta.dirname, "../helpers/lock-child.ts");
let dataDir: string;

function runChild(role: string) {
  return spawnSync(process.execPath, ["--import", "tsx", child, dataDir, role], { encoding: "utf8", timeout: 20_000 });
}

/** A pid that certainly belongs to no running process: a child that has already exited. */
function deadPid(): number {
  const p = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  return Number(p.stdout.trim());
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-lock-"));
});

afterEach(() => {
  releaseDataDirLock(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("acquireDataDirLock", () => {
  it("should refuse a second process while the server holds the directory, with the server message", () => {
    acquireDataDirLock(dataDir, "server");
    const result = runChild("cli");
    expect(result.status).toBe(3);
    // The contract (what operators and the e2e suite look for) is this phrase, whatever its capitalisation.
    expect(result.stdout).toMatch(/^refused: the server is running on this data directory/im);
    expect(result.stdout).toContain(`pid ${process.pid}`);
  });

  it("should name the other holder's role when it is not the server", () => {
    acquireDataDirLock(dataDir, "cli");
    const result = runChild("server");
    expect(result.status).toBe(3);
    expect(result.stdout).toContain("refused: Another Roster process (cli");
  });

  it("should refuse this process while a live child holds the lock", async () => {
    const holder = spawn(process.execPath, ["--import", "tsx", child, dataDir, "server", "30000"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on("data", (b: Buffer) => b.toString().includes("acquired") && resolve());
        holder.on("exit", (code) => reject(new Error(`holder exited early (${code})`)));
      });
      expect(() => acquireDataDirLock(dataDir, "cli")).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dataDir, "cli")).toThrow(/the server is running on this data directory/i);
    } finally {
      holder.kill("SIGKILL");
    }
  }, 30_000);

  it("should recover a stale lock left by a dead process", () => {
    const file = path.join(dataDir, "roster.lock");
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), role: "server", host: os.hostname(), since: new Date().toISOString() }));
    expect(() => acquireDataDirLock(dataDir, "cli")).not.toThrow();
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid, role: "cli" });
  });

  it("should recover a lock file that is not valid JSON", () => {
    fs.writeFileSync(path.join(dataDir, "roster.lock"), "garbage");
    expect(() => acquireDataDirLock(dataDir, "server")).not.toThrow();
  });

  it("should be re-entrant in one process and free the directory on release", () => {
    acquireDataDirLock(dataDir, "server");
    expect(() => acquireDataDirLock(dataDir, "server")).not.toThrow();
    releaseDataDirLock(dataDir);
    expect(fs.existsSync(path.join(dataDir, "roster.lock"))).toBe(false);
    const result = runChild("cli");
    expect(result.stdout.trim()).toBe("acquired");
    expect(result.status).toBe(0);
  });

  it("should release the lock when the holding process exits", () => {
    expect(runChild("cli").status).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "roster.lock"))).toBe(false);
  });
});
