/**
 * A target process (the Roster server or the floor) started by the bench: its own process group (so stopping it
 * also ends anything it started), an IPC channel for the statement counter, and a health wait with a deadline.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export type Target = {
  name: string;
  base: string;
  pid: number;
  /** The server process's statement total so far (tests/helpers/statement-counter.ts, over IPC). */
  statements(): Promise<number>;
  /** Starts or stops (writing `file`) a CPU profile in the server (only a server with the bench's preload). */
  profile(action: "start" | "stop", file?: string): Promise<void>;
  output(): string;
  stop(): Promise<void>;
};

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

const running = new Set<ChildProcess>();

/** Kills every target still running (process groups): the bench's exit and signal handlers call it. */
export function killAllTargets(): void {
  for (const child of running) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  running.clear();
}

export async function startTarget(opts: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  healthPath: string;
  timeoutMs: number;
}): Promise<Target> {
  const base = `http://127.0.0.1:${opts.port}`;
  let log = "";
  const child = spawn(process.execPath, opts.args, { cwd: opts.cwd, detached: true, env: opts.env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  running.add(child);
  child.stdout!.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-200_000)));
  child.stderr!.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-200_000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => {
    exitCode = c;
    running.delete(child);
  });

  let nextId = 1;
  const waiting = new Map<number, (n: number) => void>();
  child.on("message", (m: { type?: string; id?: number; total?: number }) => {
    if ((m?.type === "bench:count" || m?.type === "bench:profile") && typeof m.id === "number") {
      waiting.get(m.id)?.(m.total ?? NaN);
      waiting.delete(m.id);
    }
  });

  const stop = async () => {
    if (exitCode !== undefined) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Gone.
      }
    }, 8_000);
    await exited;
    clearTimeout(force);
  };

  const target: Target = {
    name: opts.name,
    base,
    pid: child.pid!,
    statements() {
      return new Promise<number>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${opts.name}: no statement count over IPC within 5 s`));
        }, 5_000);
        waiting.set(id, (n) => {
          clearTimeout(timer);
          resolve(n);
        });
        child.send({ type: "bench:count", id });
      });
    },
    profile(action, file) {
      return new Promise<void>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${opts.name}: no profile answer over IPC within 30 s`));
        }, 30_000);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: "bench:profile", id, action, ...(file ? { file } : {}) });
      });
    },
    output: () => log,
    stop,
  };

  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${opts.name} exited with ${exitCode} before it was healthy:\n${log.slice(-4000)}`);
    if (/Roster cannot start|Failed to prepare server/.test(log)) {
      await stop();
      throw new Error(`${opts.name} failed to boot:\n${log.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${base}${opts.healthPath}`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return target;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${opts.name} was not healthy within ${opts.timeoutMs} ms:\n${log.slice(-4000)}`);
}
