/**
 * server/db/sql.ts: lists of integers bound as one text parameter. On the real database, intArray is the array it was
 * given and intKeys answers `?` for exactly its members; anything that is not a safe integer is refused before it
 * reaches SQL (the values are joined into the parameter's text).
 */
import { describe, expect, it } from "vitest";
import { intArray, intKeys } from "../../server/db/sql.ts";
import { useTestDb } from "../helpers/db.ts";

const t = useTestDb();

describe("integer lists bound as one parameter", () => {
  it("should read back an intArray as the same integers, in order, duplicates and negatives included", async () => {
    const values = [3, 1, 2, 2, -7, 2_147_483_647];
    const [row] = await t.db.$queryRaw<{ a: number[] }[]>`SELECT ${intArray(values)} AS a`;
    expect(row!.a).toEqual(values);
    const [empty] = await t.db.$queryRaw<{ n: number }[]>`SELECT cardinality(${intArray([])})::int AS n`;
    expect(empty!.n).toBe(0);
  });

  it("should match exactly the members of an intKeys set", async () => {
    const rows = await t.db.$queryRaw<{ x: number }[]>`
      SELECT x FROM generate_series(-3, 12) AS x WHERE (SELECT ${intKeys([10, 2, -3, 7, 2])}) ? x::text ORDER BY x`;
    expect(rows.map((r) => r.x)).toEqual([-3, 2, 7, 10]);
    const none = await t.db.$queryRaw<{ x: number }[]>`SELECT x FROM generate_series(1, 3) AS x WHERE (SELECT ${intKeys([])}) ? x::text`;
    expect(none).toEqual([]);
  });

  it("should refuse anything that is not a safe integer", () => {
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => intArray([1, bad])).toThrow(TypeError);
      expect(() => intKeys([1, bad])).toThrow(TypeError);
    }
  });
});
