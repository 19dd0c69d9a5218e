/**
 * The tRPC HTTP door (app/api/trpc/[trpc]/route.ts is this one call), with the request-plane rules in one place:
 * - POSTs (every mutation) must come from this app's own pages: a cross-origin one is refused with 403 before any
 *   procedure runs (isSameOriginRequest; SameSite=Lax cookies are the first wall, this is the second);
 * - a batch holds at most MAX_BATCH_SIZE calls (the client's httpBatchLink uses the same number): a bigger one is a
 *   400 and runs nothing;
 * - the HTTP status follows server/errors.ts's table (the error formatter sets it), and 429 and 503 carry
 *   Retry-After, so a client backs off while the database is unavailable or a limit is reached.
 */
import type { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER } from "../db/unavailable.ts";
import { isAppError } from "../errors.ts";
import { isSameOriginRequest } from "../security/origin.ts";
import type { Context } from "./context.ts";
import { appRouter } from "./root.ts";

/** Calls per batch; app/_trpc/react.tsx's httpBatchLink({ maxItems }) must not exceed it. */
export const MAX_BATCH_SIZE = 10;

const isBatch = (req: Request) => new URL(req.url).searchParams.get("batch") === "1";

/** A 403 in tRPC's own error shape (superjson-wrapped), one entry per batched call, so the client shows it. */
function crossOriginRefused(req: Request): Response {
  const error = {
    json: {
      message: "Cross-origin requests are refused.",
      code: -32003,
      data: { code: "FORBIDDEN", httpStatus: 403, path: null, issues: null, appCode: "FORBIDDEN", reason: "CROSS_ORIGIN" },
    },
  };
  const calls = new URL(req.url).pathname.split("/").pop()?.split(",").length ?? 1;
  const body = isBatch(req) ? Array.from({ length: calls }, () => ({ error })) : { error };
  return Response.json(body, { status: 403, headers: { "cache-control": "no-store" } });
}

const retryAfterOf = (e: TRPCError): number =>
  isAppError(e.cause) ? (e.cause.retryAfter ?? 0) : isDatabaseUnavailable(e.cause) ? UNAVAILABLE_RETRY_AFTER : 0;

export function handleTrpcRequest(req: Request, createContext: () => Promise<Context>): Promise<Response> | Response {
  if (req.method !== "GET" && req.method !== "HEAD" && !isSameOriginRequest(req)) return crossOriginRefused(req);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext,
    maxBatchSize: MAX_BATCH_SIZE,
    responseMeta({ errors }) {
      const retryAfter = Math.max(0, ...errors.map(retryAfterOf));
      return retryAfter > 0 ? { headers: new Headers({ "retry-after": String(retryAfter) }) } : {};
    },
  });
}
