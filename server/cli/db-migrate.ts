/**
 * `npm run db:migrate`: applies pending migrations from prisma/migrations to the configured database: PGlite in
 * <DATA_DIR>/pglite when DATABASE_URL is unset, PostgreSQL otherwise. On PGlite it refuses while the server holds the
 * data directory (the server migrates itself on boot).
 */
import { describeDatabase, migrateHandle } from "../boot.ts";
import { openConfiguredDatabase, type DbHandle } from "../db/client.ts";
import { getDatabaseConfig } from "../env.ts";

let handle: DbHandle | undefined;
try {
  const cfg = getDatabaseConfig();
  const label = cfg.databaseUrl ? `PostgreSQL (${describeDatabase(cfg.databaseUrl)})` : `PGlite (${cfg.dataDir}/pglite)`;
  handle = await openConfiguredDatabase("cli");
  const { applied } = await migrateHandle(handle);
  if (applied.length === 0) console.log(`${label}: already up to date`);
  else console.log(`${label}: applied ${applied.length} migration(s)\n${applied.map((n) => `  ${n}`).join("\n")}`);
} catch (e) {
  console.error(`db:migrate: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await handle?.close().catch(() => {});
}
