/**
 * The tRPC HTTP door (app/api/trpc/[trpc]/route.ts is this one call), with the request-plane rules in one place:
 * - POSTs (every mutation) must come from this app's own pages: a cross-origin one is refused with 403 before any
 *   procedure runs (isSameOriginRequest; SameSite=Lax cookies are the first wall, this is the second);
 * - a batch holds at most MAX_BATCH_SIZE calls (the client's httpBatchLink uses the same number): a bigger one is a
 *   400 and runs nothing;
 * - the HTTP status follows server/errors.ts's table (the error formatter sets it), and 429 and 503 carry
 *   Retry-After, so a client backs off while the database is unavailable or a limit is reached;
 * - a body over MAX_BODY_BYTES is a 413 before it is parsed (as on the REST door), and a body with an own
 *   `__proto__` key is a 422: the JSON transformer would drop that key silently, so the strict input schemas could
 *   never refuse it as the unknown key it is.
 */
import type { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER } from "../db/unavailable.ts";
import { isAppError } from "../errors.ts";
import { MAX_BODY_BYTES, readBodyCapped } from "../security/body-limit.ts";
import { isSameOriginRequest } from "../security/origin.ts";
import { createContext, type Context } from "./context.ts";
import { appRouter } from "./root.ts";

/** Calls per batch; app/_trpc/react.tsx's httpBatchLink({ maxItems }) must not exceed it. */
export const MAX_BATCH_SIZE = 10;

const isBatch = (req: Request) => new URL(req.url).searchParams.get("batch") === "1";

export type Refusal = { status: number; code: string; rpc: number; appCode: string; message: string; reason: string | null };

/** A refusal in tRPC's own error shape (superjson-wrapped), one entry per batched call, so the client shows it. */
export function refused(req: Request, r: Refusal): Response {
  const error = {
    json: {
      message: r.message,
      code: r.rpc,
      data: { code: r.code, httpStatus: r.status, path: null, issues: null, appCode: r.appCode, reason: r.reason },
    },
  };
  const calls = new URL(req.url).pathname.split("/").pop()?.split(",").length ?? 1;
  const body = isBatch(req) ? Array.from({ length: calls }, () => ({ error })) : { error };
  return Response.json(body, { status: r.status, headers: { "cache-control": "no-store" } });
}

const crossOriginRefused = (req: Request) =>
  refused(req, { status: 403, code: "FORBIDDEN", rpc: -32003, appCode: "FORBIDDEN", message: "Cross-origin requests are refused.", reason: "CROSS_ORIGIN" });
const tooLarge = (req: Request) =>
  refused(req, { status: 413, code: "PAYLOAD_TOO_LARGE", rpc: -32413, appCode: "PAYLOAD_TOO_LARGE", message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`, reason: null });
const protoKey = (req: Request) =>
  refused(req, { status: 422, code: "UNPROCESSABLE_CONTENT", rpc: -32022, appCode: "UNPROCESSABLE", message: 'Invalid input: unknown key "__proto__"', reason: null });

/** Whether JSON text holds an own `__proto__` key anywhere (unparseable text is left to tRPC's own 400). */
function hasProtoKey(text: string): boolean {
  if (!text.includes("__proto__")) return false;
  let found = false;
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (key === "__proto__") found = true;
      return value;
    });
  } catch {
    return false;
  }
  return found;
}

const retryAfterOf = (e: TRPCError): number =>
  isAppError(e.cause) ? (e.cause.retryAfter ?? 0) : isDatabaseUnavailable(e.cause) ? UNAVAILABLE_RETRY_AFTER : 0;

export async function handleTrpcRequest(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD" && !isSameOriginRequest(req)) return crossOriginRefused(req);
  let request = req;
  if (req.method === "POST") {
    const text = await readBodyCapped(req);
    if (text === null) return tooLarge(req);
    if (hasProtoKey(text)) return protoKey(req);
    request = new Request(req.url, { method: req.method, headers: req.headers, body: text });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext,
    maxBatchSize: MAX_BATCH_SIZE,
    responseMeta({ errors }) {
      const retryAfter = Math.max(0, ...errors.map(retryAfterOf));
      return retryAfter > 0 ? { headers: new Headers({ "retry-after": String(retryAfter) }) } : {};
    },
  });
}

/** The whole door for an HTTP request (Next's route file and serve.ts's API door both mount this). */
export const trpcHttpHandler = (req: Request): Promise<Response> => handleTrpcRequest(req, () => createContext({ headers: req.headers }));
