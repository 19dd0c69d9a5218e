/**
 * The tables that are not tenant-owned are documented as they are coded: README.md's list (the paragraph naming
 * server/db/distribution.ts) holds exactly its reference and global tables, and DEPLOYMENT.md's Citus section names
 * each with its reason. tests/integration/tenant-keys.test.ts checks the schema against the same lists.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GLOBAL_TABLES, REFERENCE_TABLES } from "../../server/db/distribution.ts";

const read = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../..", name), "utf8");

/** The table names (backticked, capitalised identifiers) of the paragraph that mentions `marker`. */
function tablesInParagraph(text: string, marker: string): string[] {
  const paragraph = text.split(/\n\s*\n/).find((p) => p.includes(marker));
  if (!paragraph) throw new Error(`no paragraph mentions ${marker}`);
  return [...paragraph.matchAll(/`([A-Z][A-Za-z]+)`/g)].map((m) => m[1]!);
}

const documented = [...Object.keys(REFERENCE_TABLES), ...Object.keys(GLOBAL_TABLES)].filter((t) => t !== "_prisma_migrations");

describe("the tables that are not tenant-owned", () => {
  it("should be listed in README.md exactly as server/db/distribution.ts has them", () => {
    expect(tablesInParagraph(read("README.md"), "server/db/distribution.ts").sort()).toEqual([...documented].sort());
  });

  it("should each be named in DEPLOYMENT.md's Citus section", () => {
    const deployment = read("DEPLOYMENT.md");
    const citus = deployment.slice(deployment.indexOf("### Citus: distributing by tenant"));
    expect(documented.filter((t) => !citus.includes(`\`${t}\``))).toEqual([]);
  });
});
