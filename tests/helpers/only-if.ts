/**
 * Registers a suite only where it belongs (this database, this machine state). A suite that does not apply is not
 * registered at all, rather than reported as skipped: a skipped test in CI must always mean something is wrong.
 */
import { describe, it } from "vitest";

type Body = () => void;
export const describeOnlyIf = (cond: boolean) => (name: string, body: Body) => (cond ? describe(name, body) : undefined);
export const itOnlyIf =
  (cond: boolean) =>
  (name: string, fn: () => Promise<void> | void, timeout?: number) =>
    cond ? it(name, fn, timeout) : undefined;
