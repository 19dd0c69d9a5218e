/**
 * Counts SQL statements at the driver: every `pg` Client query (pool queries go through it; Prisma's BEGIN and
 * COMMIT are queries too) and every PGlite round trip (query, exec, and a transaction's BEGIN and COMMIT/ROLLBACK,
 * which PGlite sends itself). Installed by patching the prototypes once per process, so it sees the same driver the
 * app uses: integration tests measure a service call, and the bench preloads it into the production server.
 */
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";

const require = createRequire(import.meta.url);

type Listener = (sql: string) => void;
const state = { installed: false, total: 0, listeners: new Set<Listener>() };

function note(sql: unknown) {
  state.total++;
  const text = typeof sql === "string" ? sql : typeof sql === "object" && sql && "text" in sql ? String((sql as { text: unknown }).text) : "?";
  for (const l of state.listeners) l(text);
}

export function installStatementCounter(): void {
  if (state.installed) return;
  state.installed = true;
  const pg = require("pg") as typeof import("pg");
  const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    note(args[0]);
    return clientQuery.apply(this, args);
  } as typeof pg.Client.prototype.query;

  const proto = PGlite.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ["query", "exec"] as const) {
    const original = proto[name]!;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      note(args[0]);
      return original.apply(this, args);
    };
  }
  const transaction = proto.transaction!;
  proto.transaction = function (this: unknown, fn: unknown) {
    note("BEGIN");
    const wrapped = async (tx: Record<string, (...args: unknown[]) => Promise<unknown>>) => {
      const counted = Object.create(tx) as typeof tx;
      for (const name of ["query", "exec", "sql"] as const) {
        const original = tx[name];
        if (original) counted[name] = (...args: unknown[]) => (note(args[0]), original.apply(tx, args));
      }
      try {
        return await (fn as (t: typeof tx) => Promise<unknown>)(counted);
      } finally {
        note("COMMIT");
      }
    };
    return transaction.call(this, wrapped);
  };
}

/** Statements issued by this process since the counter was installed. */
export const statementsSoFar = () => state.total;

/** Runs `work` and returns what it returned plus the statements it issued (nothing else may run meanwhile). */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; count: number; sql: string[] }> {
  installStatementCounter();
  const sql: string[] = [];
  const listener: Listener = (s) => sql.push(s.replace(/\s+/g, " ").slice(0, 200));
  state.listeners.add(listener);
  try {
    const result = await work();
    return { result, count: sql.length, sql };
  } finally {
    state.listeners.delete(listener);
  }
}
