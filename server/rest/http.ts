/**
 * The REST door's plumbing: body limits, JSON parsing, authentication and error mapping, shared by both seed
 * dialects. Route handlers stay one call: parse → service → DTO. Bad input never becomes a 500 and no stack trace
 * ever reaches the caller.
 */
import crypto from "node:crypto";
import type { z } from "zod";
import type { RequestMeta } from "../authz/actor.ts";
import { getDb, type Db } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { AppError, AppErrorCode, ERROR_TABLE, isAppError, validationError } from "../errors.ts";
import { MAX_BODY_BYTES, readBodyCapped } from "../security/body-limit.ts";
import { clientIpFrom } from "../security/client-ip.ts";
import { databaseUnavailable, isDatabaseUnavailable } from "../db/unavailable.ts";
import { deniedReasonOf, recordDenied, routePattern } from "../security/security-log.ts";
import { authenticateWithLimits, type RestPrincipal } from "./authenticate.ts";

export { MAX_BODY_BYTES };

export function requestMeta(req: Request): RequestMeta {
  return {
    ip: clientIpFrom(req.headers, getEnv().trustedProxies),
    userAgent: req.headers.get("user-agent"),
    requestId: req.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID(),
  };
}

/** The JSON body, or undefined when there is none. 413 over 1 MB, 400 when it is not JSON. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const text = await readBodyCapped(req);
  if (text === null) throw tooLarge();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(AppErrorCode.BAD_REQUEST, { userMessage: "The request body is not valid JSON." });
  }
}

const tooLarge = () => new AppError(AppErrorCode.PAYLOAD_TOO_LARGE, { userMessage: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationError(result.error.issues);
  return result.data;
}

/** The largest page the REST lists hand out at once; a location list without paging still returns every row. */
export const MAX_PAGE_SIZE = 1_000;
export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE = 10_000_000;

export type Paging = { page: number; count: number };

const badParam = (name: string, message: string) =>
  new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${name}: ${message}`, issues: [{ path: name, message }] });

function intParam(url: URL, name: string, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) < 1) throw badParam(name, `must be an integer from 1 to ${max}`);
  const n = Number(raw);
  if (n > max) throw badParam(name, `must be an integer from 1 to ${max}`);
  return n;
}

/**
 * Optional `?page=&count=` of the REST lists (count ≤ MAX_PAGE_SIZE, else 422 naming it). Null when neither is given:
 * the seeds' clients send neither and get every row. Either alone pages with the other's default (page 1, 100 rows).
 */
export function pagingOf(url: URL): Paging | null {
  const page = intParam(url, "page", MAX_PAGE);
  const count = intParam(url, "count", MAX_PAGE_SIZE);
  if (page === undefined && count === undefined) return null;
  return { page: page ?? 1, count: count ?? DEFAULT_PAGE_SIZE };
}

export type RouteContext<P> = { params: Promise<P> };
export type Handled = { status?: number; headers?: Record<string, string> };

/** Anything that is not an AppError is a bug: log it with the request id, answer a generic 500. */
export function toAppError(e: unknown, meta: RequestMeta): AppError {
  if (isAppError(e)) return e;
  // The database went away (killed connections, a restart, an exhausted pool): 503 with Retry-After, not a bug.
  if (isDatabaseUnavailable(e)) return databaseUnavailable(e);
  console.error(`[rest] unexpected error (request ${meta.requestId}):`, e);
  return new AppError(AppErrorCode.INTERNAL, { userMessage: `Internal error (request ${meta.requestId}).` });
}

export function errorHeaders(err: AppError, meta: RequestMeta): Record<string, string> {
  const h: Record<string, string> = { "x-request-id": meta.requestId ?? "" };
  if (err.retryAfter) h["retry-after"] = String(err.retryAfter);
  if (err.code === AppErrorCode.UNAUTHORIZED) h["www-authenticate"] = 'Bearer realm="roster"';
  return h;
}

export type RestCall<P> = { req: Request; params: P; db: Db; meta: RequestMeta; body: unknown; principal: RestPrincipal | null };

/** Runs the common steps and hands errors to the dialect's renderer. */
export async function runRest<P>(
  req: Request,
  ctx: RouteContext<P>,
  opts: { authenticate: boolean; body: boolean },
  fn: (call: RestCall<P>) => Promise<Response>,
  renderError: (err: AppError, meta: RequestMeta) => Response,
): Promise<Response> {
  const meta = requestMeta(req);
  let principal: RestPrincipal | null = null;
  try {
    // A declared oversize body is refused before anything else is done with the request.
    if (opts.body && Number(req.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw tooLarge();
    const params = await ctx.params;
    const db = await getDb();
    principal = opts.authenticate ? await authenticateWithLimits(db, req.headers.get("authorization"), meta) : null;
    const body = opts.body ? await readJsonBody(req) : undefined;
    return await fn({ req, params, db, meta, body, principal });
  } catch (e) {
    const err = toAppError(e, meta);
    // The security log: an authenticated caller refused (403) or sent to the uniform 404.
    const reason = principal ? deniedReasonOf(err) : null;
    if (principal && reason) {
      const route = `${req.method} ${routePattern(new URL(req.url).pathname)}`;
      await recordDenied(await getDb(), { actor: principal.actor, tenantId: principal.actor.tenantId, route, reason, message: err.userMessage });
    }
    return renderError(err, meta);
  }
}

export const statusOf = (err: AppError) => ERROR_TABLE[err.code].status;
