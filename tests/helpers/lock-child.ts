/**
 * Child process for the data-directory lock tests: tries to take the lock and reports on stdout.
 * Usage: node --import tsx tests/helpers/lock-child.ts <dataDir> <role> [holdMs]
 * Prints "acquired" (then holds the lock for holdMs, default 0) or "refused: <message>" and exits 3.
 */
import { acquireDataDirLock, type LockRole } from "../../server/db/lock.ts";

const [dataDir, role, holdMs] = process.argv.slice(2);
try {
  acquireDataDirLock(dataDir!, role as LockRole);
  console.log("acquired");
  if (Number(holdMs) > 0) await new Promise((r) => setTimeout(r, Number(holdMs)));
} catch (e) {
  console.log(`refused: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 3;
}
