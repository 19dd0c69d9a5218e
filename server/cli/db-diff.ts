/**
 * `npm run db:diff -- --name <name>`: writes the migration that takes prisma/migrations to prisma/schema.prisma.
 * Runs on in-memory PGlite only, so it needs no database server and never touches DATA_DIR or DATABASE_URL.
 */
import { diffMigration } from "../db/schema-engine.ts";

function parseName(argv: string[]): string {
  const i = argv.indexOf("--name");
  const inline = argv.find((a) => a.startsWith("--name="))?.slice("--name=".length);
  const name = inline ?? (i >= 0 ? argv[i + 1] : undefined);
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error("usage: npm run db:diff -- --name <name>   (name: lowercase letters, digits, underscores)");
  }
  return name;
}

try {
  const { path } = await diffMigration(parseName(process.argv.slice(2)));
  console.log(path ? `wrote ${path}` : "no changes");
} catch (e) {
  console.error(`db:diff: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
