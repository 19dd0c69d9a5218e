/** Runs the operator CLI (server/cli/index.ts) as a separate process, exactly as an operator would. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { childEnv, ROOT } from "./app-server.ts";

const TSX = path.join(ROOT, "node_modules/.bin/tsx");

export type CliResult = { status: number | null; stdout: string; stderr: string };

export function runCli(args: string[], env: Record<string, string>): CliResult {
  const r = spawnSync(TSX, ["server/cli/index.ts", ...args], { cwd: ROOT, env: childEnv(env), encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a `--json` command and returns its one line of JSON; throws with the output when it fails. */
export function runCliJson<T>(args: string[], env: Record<string, string>): T {
  const r = runCli([...args, "--json"], env);
  const lines = r.stdout.trim().split("\n");
  if (r.status !== 0 || lines.length !== 1) {
    throw new Error(`cli ${args[0]} exited ${r.status} (expected 0 and one JSON line)\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return JSON.parse(lines[0]!) as T;
}
