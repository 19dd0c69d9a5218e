/**
 * `npm start`: builds once when there is no build yet (.next/BUILD_ID), then runs `next start`. All boot work
 * (configuration, secret, database lock, migrations, demo data) happens inside the server process itself.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env } });
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

if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
  console.log("No build yet: running `next build` once (about a minute)...");
  const code = await run(["build"]);
  if (code !== 0) process.exit(code);
}
process.exit(await run(["start", ...process.argv.slice(2)]));
