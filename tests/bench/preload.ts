/**
 * Preloaded into a server the bench drives (`node --import tsx --import ./tests/bench/preload.ts ...`): installs the
 * driver-level statement counter before the app loads its drivers, and answers the bench over IPC with the
 * process's running total, so the bench reads statements per request as the delta around each request.
 */
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import { installStatementCounter, statementsSoFar } from "../helpers/statement-counter.ts";

installStatementCounter();

type Ask = { type: "bench:count"; id: number } | { type: "bench:profile"; id: number; action: "start" | "stop"; file?: string };

// `npm run bench -- --profile DIR`: a V8 CPU profile of the server per operation's c=1 phase (open it in Chrome's
// DevTools or speedscope), so the cost of one request type is seen without start-up and the other operations.
let inspector: Session | null = null;
async function profile(action: "start" | "stop", file?: string): Promise<void> {
  if (action === "start") {
    inspector ??= new Session();
    inspector.connect();
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.setSamplingInterval", { interval: 100 });
    await inspector.post("Profiler.start");
    return;
  }
  if (!inspector) return;
  const { profile } = await inspector.post("Profiler.stop");
  inspector.disconnect();
  if (file) fs.writeFileSync(file, JSON.stringify(profile));
}

if (process.send) {
  process.on("message", (m: Ask) => {
    if (m?.type === "bench:count") process.send!({ type: "bench:count", id: m.id, total: statementsSoFar() });
    if (m?.type === "bench:profile") void profile(m.action, m.file).finally(() => process.send!({ type: "bench:profile", id: m.id }));
  });
  // The IPC channel must not keep the server alive after it was told to stop, nor crash it if the bench went away.
  process.channel?.unref();
  process.on("disconnect", () => {});
}
