/**
 * PGlite is strictly one process per data directory and nothing in PGlite enforces it: a second process opens the
 * same files without complaint and the two corrupt each other. This lock file makes the rule real. It records the
 * holder's pid and role; a holder that no longer runs (a crash, SIGKILL) leaves a stale file that the next opener
 * recovers. Released on exit.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type LockRole = "server" | "cli" | "test";
type LockInfo = { pid: number; role: LockRole; host: string; since: string };

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      holder.role === "server"
        ? `the server is running on this data directory (${dataDir}, pid ${holder.pid}); stop it or use DATABASE_URL=postgres://... to work on PostgreSQL`
        : `Another Roster process (${holder.role}, pid ${holder.pid}) is using this data directory (${dataDir}); wait for it to finish or stop it.`,
    );
  }
}

const held = new Map<string, string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM means the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(/* turbopackIgnore: true */ file, "utf8")) as LockInfo;
    return typeof info.pid === "number" ? info : null;
  } catch {
    return null;
  }
}

/** Takes the lock on `dataDir` for this process or throws DataDirLockedError. Re-entrant within one process. */
export function acquireDataDirLock(dataDir: string, role: LockRole): void {
  const file = path.join(dataDir, "roster.lock");
  if (held.has(file)) return;
  fs.mkdirSync(/* turbopackIgnore: true */ dataDir, { recursive: true });
  const info: LockInfo = { pid: process.pid, role, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(/* turbopackIgnore: true */ file, JSON.stringify(info), { flag: "wx", mode: 0o600 });
      held.set(file, file);
      process.once("exit", () => releaseDataDirLock(dataDir));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readLock(file);
    if (holder && holder.pid === process.pid) {
      held.set(file, file);
      return;
    }
    if (holder && holder.host === os.hostname() && isAlive(holder.pid)) {
      throw new DataDirLockedError(dataDir, holder);
    }
    // Stale: the holder crashed. Remove and retry; `wx` keeps two recoverers from both winning.
    try {
      fs.unlinkSync(/* turbopackIgnore: true */ file);
    } catch {
      // Someone else removed it first.
    }
  }
  const holder = readLock(file);
  throw new DataDirLockedError(dataDir, holder ?? { pid: -1, role: "cli", host: os.hostname(), since: "" });
}

export function releaseDataDirLock(dataDir: string): void {
  const file = path.join(dataDir, "roster.lock");
  if (!held.delete(file)) return;
  const holder = readLock(file);
  if (holder && holder.pid !== process.pid) return;
  try {
    fs.unlinkSync(/* turbopackIgnore: true */ file);
  } catch {
    // Already gone.
  }
}
