/**
 * The schema distributes by tenant on Citus (DEPLOYMENT.md, "Citus: distributing by tenant"): read from the migrated
 * database's own catalog (PGlite, or this file's PostgreSQL schema), every table that server/db/distribution.ts does
 * not list as a reference or global table is tenant-owned and must
 * - carry a NOT NULL `tenantId`,
 * - have `tenantId` in its primary key and in every unique constraint and unique index (Citus enforces uniqueness per
 *   shard only, so a unique key without the distribution column cannot be enforced),
 * - reach other tenant tables only through foreign keys that pair its `tenantId` with theirs (co-location), and
 *   reach nothing else but reference tables (Citus has no foreign key from a distributed table to a local one).
 * The rule is checked by one function, run on the real schema and on scratch tables that break it.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client.ts";
import { DISTRIBUTION_COLUMN, GLOBAL_TABLES, NOT_TENANT_OWNED, REFERENCE_TABLES } from "../../server/db/distribution.ts";
import { useTestDb } from "../helpers/db.ts";

const t = useTestDb();

const TENANT_TABLES_TODAY = [
  "Unit", "Role", "Right", "Membership", "MembershipRole", "UnitAccess", "Invitation", "JoinRequest", "ApiToken", "AuditEvent",
];

type Catalog = {
  tables: string[];
  columns: { table: string; column: string; notNull: boolean }[];
  /** Primary keys, unique constraints and unique indexes (a constraint's index is listed once); null = an expression. */
  uniques: { table: string; name: string; primary: boolean; columns: (string | null)[] }[];
  foreignKeys: { table: string; name: string; columns: string[]; refTable: string; refColumns: string[] }[];
};

/** The current schema's tables, columns, unique keys and foreign keys, from pg_catalog. */
async function readCatalog(db: Db): Promise<Catalog> {
  const tables = await db.$queryRaw<{ table: string }[]>`
    SELECT c.relname::text AS "table" FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`;
  const columns = await db.$queryRaw<Catalog["columns"]>`
    SELECT c.relname::text AS "table", a.attname::text AS "column", a.attnotnull AS "notNull"
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`;
  const uniques = await db.$queryRaw<Catalog["uniques"]>`
    SELECT c.relname::text AS "table", ic.relname::text AS name, i.indisprimary AS "primary",
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE k.n <= i.indnkeyatts ORDER BY k.n) AS columns
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND i.indisunique
     ORDER BY c.relname, NOT i.indisprimary, ic.relname`;
  const foreignKeys = await db.$queryRaw<Catalog["foreignKeys"]>`
    SELECT c.relname::text AS "table", k.conname::text AS name, r.relname::text AS "refTable",
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY x(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum ORDER BY x.n) AS columns,
           ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY x(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum ORDER BY x.n) AS "refColumns"
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
     WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
     ORDER BY c.relname, k.conname`;
  return { tables: tables.map((r) => r.table), columns, uniques, foreignKeys };
}

/** What keeps the schema from distributing by tenant, one line per broken rule (empty: it distributes). */
function tenantKeyViolations(catalog: Catalog, notTenantOwned: ReadonlySet<string> = NOT_TENANT_OWNED): string[] {
  const col = DISTRIBUTION_COLUMN;
  const tenantOwned = new Set(catalog.tables.filter((name) => !notTenantOwned.has(name)));
  const isReference = (name: string) => Object.hasOwn(REFERENCE_TABLES, name);
  const out: string[] = [];
  for (const table of tenantOwned) {
    const c = catalog.columns.find((x) => x.table === table && x.column === col);
    if (!c) out.push(`${table}: no "${col}" column`);
    else if (!c.notNull) out.push(`${table}: "${col}" is nullable`);
    const keys = catalog.uniques.filter((u) => u.table === table);
    if (!keys.some((u) => u.primary)) out.push(`${table}: no primary key`);
    for (const u of keys) {
      if (!u.columns.includes(col)) {
        out.push(`${table}: ${u.primary ? "primary key" : "unique key"} ${u.name} (${u.columns.map((x) => x ?? "<expression>").join(", ")}) lacks "${col}"`);
      }
    }
  }
  for (const fk of catalog.foreignKeys) {
    const from = tenantOwned.has(fk.table);
    const to = tenantOwned.has(fk.refTable);
    if (from && to) {
      const paired = fk.columns.some((c, i) => c === col && fk.refColumns[i] === col);
      if (!paired) out.push(`${fk.table}: foreign key ${fk.name} to ${fk.refTable} does not pair "${col}" with "${col}" (not co-located)`);
    } else if (from && !isReference(fk.refTable)) {
      out.push(`${fk.table}: foreign key ${fk.name} to ${fk.refTable}, which is neither tenant-owned nor a reference table`);
    } else if (to) {
      out.push(`${fk.table}: foreign key ${fk.name} to the tenant table ${fk.refTable} from a table that is not tenant-owned`);
    }
  }
  return out;
}

describe("tenant keys: the schema distributes by tenant", () => {
  it("should key every tenant-owned table by a NOT NULL tenantId in its primary key and every unique key, with co-located foreign keys", async () => {
    const catalog = await readCatalog(t.db);
    expect(tenantKeyViolations(catalog)).toEqual([]);
  });

  it("should check the tables it is meant to: today's ten tenant tables, and only existing tables as exceptions", async () => {
    const catalog = await readCatalog(t.db);
    const tenantOwned = catalog.tables.filter((name) => !NOT_TENANT_OWNED.has(name));
    expect(tenantOwned).toEqual(expect.arrayContaining(TENANT_TABLES_TODAY));
    expect([...NOT_TENANT_OWNED].filter((name) => !catalog.tables.includes(name))).toEqual([]);
    // What each unique key of a tenant table looks like, so a catalog read that found none cannot pass unnoticed.
    const primaryKeys = catalog.uniques.filter((u) => u.primary && TENANT_TABLES_TODAY.includes(u.table));
    expect(primaryKeys.map((u) => u.table).sort()).toEqual([...TENANT_TABLES_TODAY].sort());
    expect(catalog.uniques.find((u) => u.name === "MembershipRole_pkey")?.columns).toEqual(["tenantId", "membershipId", "roleId"]);
    expect(catalog.uniques.find((u) => u.name === "UnitAccess_tenantId_membershipId_unitId_key")?.columns).toEqual(["tenantId", "membershipId", "unitId"]);
  });

  it("should keep EmailDelivery and AccountEvent global: their tenantId is an attribute or absent, never a key", async () => {
    const catalog = await readCatalog(t.db);
    expect(Object.keys(GLOBAL_TABLES)).toEqual(expect.arrayContaining(["EmailDelivery", "AccountEvent", "AuthSession", "RateLimit", "Job"]));
    expect(Object.keys(REFERENCE_TABLES).sort()).toEqual(["Tenant", "User"]);
    expect(catalog.columns.find((c) => c.table === "EmailDelivery" && c.column === "tenantId")?.notNull).toBe(false);
    expect(catalog.columns.some((c) => c.table === "AccountEvent" && c.column === "tenantId")).toBe(false);
  });
});

describe("tenant keys: the check fails a table that would not distribute", () => {
  afterEach(async () => {
    await t.db.$executeRaw`DROP TABLE IF EXISTS "ScratchPin", "ScratchNote"`;
  });

  it("should report a table without tenantId in its keys, and a nullable tenantId", async () => {
    await t.db.$executeRaw`CREATE TABLE "ScratchNote" ("id" SERIAL PRIMARY KEY, "tenantId" INTEGER, "slug" TEXT NOT NULL UNIQUE)`;
    await t.db.$executeRaw`CREATE UNIQUE INDEX "ScratchNote_lower_slug" ON "ScratchNote" ("tenantId", lower("slug"))`;
    const violations = tenantKeyViolations(await readCatalog(t.db));
    expect(violations).toEqual([
      `ScratchNote: "tenantId" is nullable`,
      `ScratchNote: primary key ScratchNote_pkey (id) lacks "tenantId"`,
      `ScratchNote: unique key ScratchNote_slug_key (slug) lacks "tenantId"`,
    ]);
  });

  it("should report a table with no tenantId column at all", async () => {
    await t.db.$executeRaw`CREATE TABLE "ScratchNote" ("id" SERIAL PRIMARY KEY, "body" TEXT)`;
    expect(tenantKeyViolations(await readCatalog(t.db))).toEqual([
      `ScratchNote: no "tenantId" column`,
      `ScratchNote: primary key ScratchNote_pkey (id) lacks "tenantId"`,
    ]);
  });

  it("should report a foreign key that reaches another tenant's row or a global table", async () => {
    await t.db.$executeRaw`
      CREATE TABLE "ScratchPin" (
        "tenantId" INTEGER NOT NULL, "id" INTEGER NOT NULL, "ownerTenantId" INTEGER, "unitId" INTEGER, "jobId" BIGINT,
        PRIMARY KEY ("tenantId", "id"),
        CONSTRAINT "ScratchPin_unit_fkey" FOREIGN KEY ("ownerTenantId", "unitId") REFERENCES "Unit" ("tenantId", "id"),
        CONSTRAINT "ScratchPin_job_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id"))`;
    expect(tenantKeyViolations(await readCatalog(t.db))).toEqual(expect.arrayContaining([
      `ScratchPin: foreign key ScratchPin_unit_fkey to Unit does not pair "tenantId" with "tenantId" (not co-located)`,
      `ScratchPin: foreign key ScratchPin_job_fkey to Job, which is neither tenant-owned nor a reference table`,
    ]));
    expect(tenantKeyViolations(await readCatalog(t.db))).toHaveLength(2);
  });

  it("should report a global table that points into a tenant table", async () => {
    await t.db.$executeRaw`
      CREATE TABLE "ScratchNote" ("id" SERIAL PRIMARY KEY, "tenantId" INTEGER, "unitId" INTEGER,
        CONSTRAINT "ScratchNote_unit_fkey" FOREIGN KEY ("tenantId", "unitId") REFERENCES "Unit" ("tenantId", "id"))`;
    const asGlobal = new Set([...NOT_TENANT_OWNED, "ScratchNote"]);
    expect(tenantKeyViolations(await readCatalog(t.db), asGlobal)).toEqual([
      `ScratchNote: foreign key ScratchNote_unit_fkey to the tenant table Unit from a table that is not tenant-owned`,
    ]);
  });
});
