/** SQL fragments shared by raw statements. */
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
