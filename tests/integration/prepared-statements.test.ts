/**
 * Named statements on PostgreSQL (server/db/client.ts statementNames, DATABASE_PREPARED_STATEMENTS): a statement the
 * app sends twice is prepared once on its connection, and the switch turns naming off. Observed in PostgreSQL's own
 * pg_prepared_statements of the one connection each pool here holds.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openPostgres, type DbHandle } from "../../server/db/client.ts";
import { testDatabaseUrl, testDbKind } from "../helpers/db.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";

type Prepared = { name: string; statement: string };
/** Written into the statements' text (a comment), so they can be told from the test's own queries. */
const MARK = "prepared-statements-test-mark";

describeOnlyIf(testDbKind() === "postgres")("prepared statements on PostgreSQL", () => {
  let named: DbHandle;
  let unnamed: DbHandle;

  beforeAll(() => {
    named = openPostgres(testDatabaseUrl(), { max: 1 });
    unnamed = openPostgres(testDatabaseUrl(), { max: 1, preparedStatements: false });
  });
  afterAll(async () => {
    await named?.close();
    await unnamed?.close();
  });

  const ours = async (h: DbHandle) =>
    (await h.prisma.$queryRaw<Prepared[]>`SELECT name, statement FROM pg_prepared_statements`).filter((p) => p.statement.includes(MARK));

  it("should prepare a statement once on its connection and reuse it, whatever the parameters", async () => {
    for (const n of [1, 2, 3]) {
      const [row] = await named.prisma.$queryRaw<{ n: number }[]>`SELECT ${n}::int AS n /* prepared-statements-test-mark */`;
      expect(row).toEqual({ n });
    }
    const prepared = await ours(named);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.name).toMatch(/^r[A-Za-z0-9_-]{27}$/);
  });

  it("should send every statement unnamed with DATABASE_PREPARED_STATEMENTS=off", async () => {
    for (const n of [1, 2]) await unnamed.prisma.$queryRaw`SELECT ${n}::int AS n /* prepared-statements-test-mark */`;
    expect(await ours(unnamed)).toEqual([]);
  });
});
