/**
 * `npm start`: builds once when there is no build yet (<dist dir>/BUILD_ID), then runs Roster's own HTTP server
 * (server/cli/serve.ts: Next's request handler behind a server that records the socket peer for the client-IP
 * rules). All boot work (configuration, secret, database lock, migrations, demo data) happens inside that process.
 * Accepts `next start`'s `-p/--port` and `-H/--hostname`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseServeArgs, serve } from "./serve.ts";

const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env: process.env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1));
    });
  });
}

const options = parseServeArgs(process.argv.slice(2));
if (!fs.existsSync(path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
  console.log("No build yet: running `next build` once (about a minute)...");
  const code = await run(["build"]);
  if (code !== 0) process.exit(code);
}
(process.env as Record<string, string>).NODE_ENV = "production";
await serve(options);
