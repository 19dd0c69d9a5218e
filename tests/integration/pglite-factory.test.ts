/**
 * The embedded database keeps trigram search across restarts: a data directory migrated through the factory
 * (server/db/pglite.ts) reopens with pg_trgm, the membership's search column follows profile edits, and the trigram
 * index serves a substring search. Plain `PGlite.create` on the same directory fails, which is why nothing may bypass the factory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, expect, it } from "vitest";
import { createPglite } from "../../server/db/pglite.ts";
import { applyMigrations } from "../../server/db/schema-engine.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-pglite-reopen-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeOnlyIf((process.env.TEST_DB ?? "pglite") === "pglite")("PGlite factory", () => {
  it("should reopen a migrated data directory with trigram search working", async () => {
    const first = await createPglite(dir);
    await applyMigrations({ kind: "pglite", client: first });
    await first.exec(`
      INSERT INTO "User" ("email", "firstName", "lastName", "updatedAt") VALUES ('ada@example.test', 'Ada', 'Lovelace', now());
      INSERT INTO "Tenant" ("slug", "name", "updatedAt") VALUES ('reopen', 'Reopen', now());
      INSERT INTO "Membership" ("tenantId", "userId", "updatedAt")
        SELECT t.id, u.id, now() FROM "Tenant" t, "User" u WHERE t.slug = 'reopen' AND u.email = 'ada@example.test';`);
    await first.close();

    const again = await createPglite(dir);
    try {
      await again.query(`UPDATE "User" SET "lastName" = 'Byron' WHERE "email" = 'ada@example.test'`);
      const rows = await again.query<{ searchText: string }>(`SELECT "searchText" FROM "Membership" WHERE "searchText" LIKE '%byr%'`);
      expect(rows.rows).toEqual([{ searchText: "ada byron ada@example.test" }]);
      await again.exec("SET enable_seqscan = off");
      const plan = await again.query<{ "QUERY PLAN": string }>(`EXPLAIN SELECT 1 FROM "Membership" WHERE "searchText" LIKE '%byr%'`);
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("Membership_searchText_idx");
    } finally {
      await again.close();
    }
  }, 60_000);

  it("should refuse to open the same directory without the extension registered", async () => {
    await expect(async () => {
      const bare = await PGlite.create(dir);
      try {
        await bare.query(`SELECT 1 FROM "Membership" WHERE "searchText" LIKE '%a%'`);
        await bare.query(`UPDATE "Membership" SET "searchText" = 'b'`);
      } finally {
        await bare.close();
      }
    }).rejects.toThrow();
  }, 60_000);
});
