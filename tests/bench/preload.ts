/**
 * Preloaded into a server the bench drives (`node --import tsx --import ./tests/bench/preload.ts ...`): installs the
 * driver-level statement counter before the app loads its drivers, and answers the bench over IPC with the
 * process's running total, so the bench reads statements per request as the delta around each request.
 */
import { installStatementCounter, statementsSoFar } from "../helpers/statement-counter.ts";

installStatementCounter();

type Ask = { type: "bench:count"; id: number };

if (process.send) {
  process.on("message", (m: Ask) => {
    if (m?.type === "bench:count") process.send!({ type: "bench:count", id: m.id, total: statementsSoFar() });
  });
  // The IPC channel must not keep the server alive after it was told to stop, nor crash it if the bench went away.
  process.channel?.unref();
  process.on("disconnect", () => {});
}
