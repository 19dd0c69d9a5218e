/**
 * The inventory the guarantee sweeps iterate, read from the code rather than written down: every tRPC procedure from
 * `appRouter._def.procedures`, every REST route file under app/api/v1 with the methods it exports. A sweep keeps a
 * case table keyed by these names; `missingCases` turns a procedure or route without a case into a failure that
 * says which one and where to add it.
 */
import { TRPCError } from "@trpc/server";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../../server/errors.ts";
import { restFallback } from "../../server/rest/routes/fallback.ts";
import { appRouter } from "../../server/trpc/root.ts";
import type { Caller } from "./factories.ts";
import { callRoute, type JsonResponse, type RouteHandler } from "./http.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export type ProcedureInfo = { path: string; type: "query" | "mutation" | "subscription"; hasInput: boolean; file: string };

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every procedure of the app router, e.g. `members.list` (query, takes input, server/trpc/routers/members.ts). */
export function trpcProcedures(): ProcedureInfo[] {
  const procs = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo["type"]; inputs: unknown[] } }>;
  return Object.entries(procs).map(([p, proc]) => ({
    path: p,
    type: proc._def.type,
    hasInput: proc._def.inputs.length > 0,
    file: `server/trpc/routers/${kebab(p.split(".")[0]!)}.ts`,
  }));
}

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type RestRouteInfo = { key: string; method: HttpMethod; pattern: string; file: string; handler: RouteHandler };

function routeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (entry.name === "route.ts") out.push(full);
  }
  return out.sort();
}

/**
 * Every endpoint under app/api/v1: each method a route.ts exports, keyed `METHOD /api/v1/...` with the file's
 * [params]. The methods a file exports as restFallback (the JSON 405 of a method the route lacks) and the catch-all's
 * 404s are no endpoints: they touch no data, and tests/unit/rest-routes.test.ts and tests/e2e/api-door.test.ts cover them.
 */
export async function restRoutes(): Promise<RestRouteInfo[]> {
  const out: RestRouteInfo[] = [];
  for (const file of routeFiles(path.join(ROOT, "app/api/v1"))) {
    const rel = path.relative(ROOT, file);
    const pattern = "/" + path.dirname(path.relative(path.join(ROOT, "app"), file)).split(path.sep).join("/");
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      const handler = mod[method];
      if (typeof handler === "function" && handler !== restFallback) out.push({ key: `${method} ${pattern}`, method, pattern, file: rel, handler: handler as RouteHandler });
    }
  }
  return out;
}

/** The names in `inventory` that `cases` has no entry for, as lines a failure message can print. */
export function missingCases(inventory: { key: string; where: string }[], cases: Record<string, unknown>, caseFile: string): string[] {
  return inventory
    .filter((i) => !(i.key in cases))
    .map((i) => `${i.key} (${i.where}) has no case: add one to the case table in ${caseFile}`);
}

/** Case-table entries whose procedure or route no longer exists (a rename would otherwise leave a dead case). */
export function staleCases(inventory: { key: string }[], cases: Record<string, unknown>): string[] {
  const keys = new Set(inventory.map((i) => i.key));
  return Object.keys(cases).filter((k) => !keys.has(k));
}

/** Calls `path` (e.g. "members.get") on a server-side caller. */
export function callProcedure(caller: Caller, procedurePath: string, input?: unknown): Promise<unknown> {
  const fn = procedurePath.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (i?: unknown) => Promise<unknown>;
  return input === undefined ? fn() : fn(input);
}

export type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/** Runs a call and says how it ended: a tRPC/App error code with its message, or the value. Anything else throws. */
export async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (e instanceof TRPCError) return { ok: false, code: e.code, message: e.message };
    if (e instanceof AppError) return { ok: false, code: e.code, message: e.userMessage };
    throw e;
  }
}

/**
 * Ids, emails, numbers and the names the caller itself sent differ between a foreign row and a missing one; the
 * rest of a message must not.
 */
export function normalise(message: string, sent: readonly string[] = []): string {
  let out = message;
  for (const s of [...sent].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join("<sent>");
  return out.replace(/[^\s"'<>()]+@[^\s"'<>()]+/g, "<email>").replace(/\d+/g, "<n>");
}

export type RestCall = { params?: Record<string, string>; query?: string; json?: unknown; rawBody?: string; authorization?: string; headers?: Record<string, string> };

/** Calls a route handler with its [params] substituted into the path (emails URL-encoded, as Next passes them). */
export function callRest(route: Pick<RestRouteInfo, "method" | "pattern" | "handler">, call: RestCall): Promise<JsonResponse> {
  const params = Object.fromEntries(Object.entries(call.params ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]));
  const p = route.pattern.replace(/\[([^\]]+)\]/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${route.method} ${route.pattern}: no value for [${name}]`);
    return v;
  });
  return callRoute(route.handler, {
    method: route.method, path: p + (call.query ? `?${call.query}` : ""), params,
    ...(call.authorization !== undefined ? { authorization: call.authorization } : {}),
    ...(call.json !== undefined ? { json: call.json } : {}),
    ...(call.rawBody !== undefined ? { rawBody: call.rawBody } : {}),
    ...(call.headers ? { headers: call.headers } : {}),
  });
}

/** The error text of either REST dialect (seed 000 `meta.message`, seed 003 `detail`). */
export function restMessage(body: unknown): string {
  const b = (body ?? {}) as { meta?: { message?: string }; detail?: string };
  return b.meta?.message ?? b.detail ?? "";
}

/** Files under `dirs` (relative to the repository) whose extension is one of `exts`, skipping `skip` prefixes. */
export function sourceFiles(dirs: string[], exts: string[], skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(ROOT, full);
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`)) || entry.name === "node_modules") continue;
      if (entry.isDirectory()) walk(full);
      else if (exts.some((e) => entry.name.endsWith(e))) out.push(rel);
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  return out.sort();
}
