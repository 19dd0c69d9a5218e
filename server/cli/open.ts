/**
 * Opening the database from a command-line process: PostgreSQL at any time; the embedded PGlite directory only
 * when no server holds it (the lock in server/db/lock.ts). Pending migrations are applied first, so the CLI works
 * on a brand-new database too.
 */
import { openConfiguredDatabase, type DbHandle } from "../db/client.ts";
import { migrateHandle } from "../boot.ts";

export async function openForCli(opts: { migrate?: boolean } = {}): Promise<DbHandle> {
  const handle = await openConfiguredDatabase("cli");
  if (opts.migrate ?? true) await migrateHandle(handle);
  return handle;
}
