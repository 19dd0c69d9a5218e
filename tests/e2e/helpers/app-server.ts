/**
 * Runs the BUILT app the way production does: Roster's own server (server/cli/serve.ts, what `npm start` runs) in
 * its own process group (detached), so stopping it with process.kill(-pid) also ends any child it started
 * (STACK.md §9). Each server gets its own free port, DATA_DIR and NEXTAUTH_URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
/** Where the production build lives (NEXT_DIST_DIR, as next.config.js reads it). */
export const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
/** `node --import tsx server/cli/serve.ts -p <port> -H 127.0.0.1`: one process, no tsx wrapper in between. */
export const serverCommand = (port: number): string[] => ["--import", "tsx", path.join(ROOT, "server/cli/serve.ts"), "-p", String(port), "-H", "127.0.0.1"];
/** Output that means the server will never become healthy. */
const FATAL = ["Failed to prepare server", "Roster cannot start"];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment a child process of the tests gets: the parent's, minus anything that would pick a database. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  for (const k of ["DATABASE_URL", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "DATA_DIR", "PORT", "SMTP_URL", "DATA_ENCRYPTION_KEY", "DATA_ENCRYPTION_OLD_KEYS", "TRUSTED_PROXIES"]) delete env[k];
  // Vitest's own variables would make the app think it runs under test.
  for (const k of Object.keys(env)) if (k.startsWith("VITEST")) delete env[k];
  return { ...env, ...extra };
}

export type AppServer = {
  baseUrl: string;
  port: number;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
  /** Ends the server's process group at once (SIGKILL: no shutdown hooks, a crash), and waits until it is gone. */
  kill(): Promise<void>;
};

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

/**
 * Starts the server and returns once it is ready: `until: "healthy"` (the default) polls /api/health until it
 * answers 200; `until: "listening"` sends nothing and waits for the "Listening on" line, for a test whose own first
 * request must be the server's first.
 */
export async function startAppServer(opts: { dataDir: string; env?: Record<string, string>; timeoutMs?: number; until?: "healthy" | "listening" }): Promise<AppServer> {
  if (!fs.existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"))) {
    throw new Error("No production build (.next/BUILD_ID): run `npm run build` first (npm test does it for you).");
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = "";
  const child = spawn(process.execPath, serverCommand(port), {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv({ DATA_DIR: opts.dataDir, NEXTAUTH_URL: baseUrl, PORT: String(port), ...(opts.env ?? {}) }),
  });
  child.stdout!.on("data", (b: Buffer) => (log += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  const done = exited(child);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, 10_000);
    await done;
    clearTimeout(timer);
  };

  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      return;
    }
    await done;
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let early: number | null | undefined;
  void done.then((code) => (early = code));
  while (Date.now() < deadline) {
    if (early !== undefined) throw new Error(`the server exited with ${early} before it was healthy:\n${log}`);
    // A failed boot may leave the server running without ever answering; do not wait for the deadline then.
    if (FATAL.some((m) => log.includes(m))) {
      await stop();
      throw new Error(`the server failed to boot:\n${log}`);
    }
    const ready = { baseUrl, port, dataDir: opts.dataDir, output: () => log, stop, kill };
    if (opts.until === "listening") {
      if (log.includes("Listening on")) return ready;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return ready;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the server was not healthy within ${opts.timeoutMs ?? 120_000} ms:\n${log}`);
}

/** The `Demo sign-in: <email> / <password>` line the server prints on its first local start. */
export function parseDemoSignIn(output: string): { email: string; password: string } {
  const m = /Demo sign-in: (\S+) \/ (\S+)/.exec(output);
  if (!m) throw new Error(`The server printed no "Demo sign-in:" line:\n${output}`);
  return { email: m[1]!, password: m[2]! };
}
