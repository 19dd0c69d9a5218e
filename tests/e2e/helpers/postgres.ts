/** A throwaway PostgreSQL database for one e2e run: the server and the CLI need a whole database of their own. */
import crypto from "node:crypto";
import { adminQuery, testDatabaseUrl } from "../../helpers/db.ts";

export type E2eDatabase = { url: string; name: string; drop(): Promise<void> };

export async function createE2eDatabase(): Promise<E2eDatabase> {
  const admin = testDatabaseUrl();
  const name = `roster_e2e_${crypto.randomBytes(5).toString("hex")}`;
  await adminQuery(admin, `CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // FORCE: the server may still hold pooled connections for a moment after it was stopped.
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
