/**
 * The one way to create a PGlite instance. PGlite has `pg_trgm` (the trigram index behind member search) only when
 * the instance is created with it registered, and a data directory migrated with the extension cannot be reopened
 * without it: the server, the CLI, the tests and the schema engine's shadow database all come through here.
 */
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const PGLITE_EXTENSIONS = { pg_trgm } as const;

/** `PGlite.create` with Roster's extensions; `dataDir` undefined is in memory. */
export function createPglite(dataDir?: string, options: Omit<PGliteOptions, "extensions" | "dataDir"> = {}): Promise<PGlite> {
  return PGlite.create({ ...options, ...(dataDir ? { dataDir } : {}), extensions: PGLITE_EXTENSIONS });
}

/** A copy of an open instance (clone() keeps the extensions loaded; typed as the interface, it returns a PGlite). */
export async function clonePglite(source: PGlite): Promise<PGlite> {
  return (await source.clone()) as PGlite;
}
