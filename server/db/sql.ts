/** SQL fragments shared by raw statements. */
import type { Tx } from "./client.ts";
import { Prisma } from "./generated/client.ts";

/**
 * A list of integers bound as ONE text parameter (`'{1,2,3}'::int[]`) rather than as an array of n elements that
 * Prisma and the driver convert and escape one by one: the copy and removal across 1,000 units bind several such
 * lists per statement. Callers pass validated integers only (zod ids), so joining them cannot inject anything.
 */
export function intArray(values: readonly number[]): Prisma.Sql {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new TypeError(`intArray: ${v} is not an integer`);
  return Prisma.sql`${`{${values.join(",")}}`}::int[]`;
}

/**
 * A set of integers as jsonb object keys (`'{"1":1,"2":1}'`), bound as ONE text parameter and read once through a
 * sub-select, `(SELECT ${intKeys(ids)})`: `keys ? x::text` is then a binary search per row, where `x = ANY(array)`
 * compares each row with every element (1,000 × 1,000 for a member's access at 1,000 units), and building the keys
 * in SQL (jsonb_object_agg over unnest) cost half a millisecond per 1,000. Validated integers only, as intArray.
 */
export function intKeys(values: readonly number[]): Prisma.Sql {
  let text = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isSafeInteger(v)) throw new TypeError(`intKeys: ${v} is not an integer`);
    text += `${i ? "," : ""}"${v}":1`;
  }
  return Prisma.sql`${text + "}"}::jsonb`;
}

/**
 * Turns PostgreSQL's JIT compiler off for the rest of the transaction. A set-based statement over thousands of rows
 * (the member import) joins CTEs whose row estimates multiply into costs far above `jit_above_cost`, and compiling
 * it with inlining and optimisation took a second of a two-second import of 10,000 rows; the statement itself is
 * simple and gains nothing from it. `jit` exists in every build (PGlite, without LLVM, takes it as a no-op).
 */
export function jitOff(tx: Tx): Promise<number> {
  return tx.$executeRaw`SET LOCAL jit = off`;
}
