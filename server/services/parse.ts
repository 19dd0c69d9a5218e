/** Service-boundary validation: every input is parsed with its zod schema, and a failure is a 422 naming the field. */
import type { z } from "zod";
import { validationError } from "../errors.ts";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues);
  return result.data;
}
