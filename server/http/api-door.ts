/**
 * The API doors answered straight from Roster's own HTTP server (server/cli/serve.ts), before Next's router: tRPC
 * (`/api/trpc/*`) and the REST routes (server/rest/routes). Next's request pipeline (router, proxy, route-module
 * runtime, its web-stream plumbing) costs several milliseconds of CPU per request, more than most of these calls
 * spend on their own work, and the doors use none of it: they read no Next request state, render nothing and set
 * their own headers. The same handlers stay mounted as Next routes (app/api/...), so `next start` and `next dev`
 * serve the same API; these two ways differ only in speed.
 *
 * What the proxy (proxy.ts) does for an API path is done here too: the security headers of server/security/headers.ts.
 * Under /api/v1 an unknown path (404) and a method the route lacks (405 with Allow) get the family's JSON error
 * (routes/fallback.ts), as Next's route files give it, and so does OPTIONS. Anything else this door does not know
 * (other paths, a trailing slash, HEAD of a route with a GET) is left to Next. An /api URL whose percent-encoding does not decode is
 * answered here with a 400 in its family's error shape (Next would answer a plain-text 500).
 *
 * serve.ts loads this module itself (not through Next's bundle); whatever must be one per process (the database
 * handle, the job worker and its registry, the configuration) already lives on globalThis for that reason.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getEnv } from "../env.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { requestMeta } from "../rest/http.ts";
import { matchRestRoute, routeMethodsAt } from "../rest/routes/index.ts";
import { apiErrorRenderer, restFallback, restOptions } from "../rest/routes/fallback.ts";
import { securityHeaders } from "../security/headers.ts";
import { refused, trpcHttpHandler } from "../trpc/http.ts";
import { sendWebResponse, toWebRequest } from "./node-bridge.ts";

type Handler = (req: Request) => Promise<Response>;

const TRPC = "/api/trpc/";

/** A URL whose percent-encoding does not decode: a 400 in the shape of the API family it names. */
function malformedUrl(pathname: string): Handler {
  const err = new AppError(AppErrorCode.BAD_REQUEST, { userMessage: "The URL is not validly percent-encoded." });
  return async (req) => {
    if (pathname.startsWith(TRPC)) {
      return refused(req, { status: 400, code: "BAD_REQUEST", rpc: -32600, appCode: err.code, message: err.userMessage, reason: null });
    }
    const { requestId } = requestMeta(req);
    return apiErrorRenderer(pathname)(err, { requestId });
  };
}

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** The handler for this method and path, or null when Next should answer. */
export function apiHandlerFor(method: string, pathname: string): Handler | null {
  if (!pathname.startsWith("/api/")) return null;
  // Next answers these with a plain-text 500; the API answers a clear 400 instead.
  if (!decodes(pathname)) return malformedUrl(pathname);
  // `/api/trpc/<procedure[,procedure…]>` only: a trailing slash or a deeper path is Next's (a 308, a 404).
  if (pathname.startsWith(TRPC)) {
    const procedures = pathname.slice(TRPC.length);
    if (procedures === "" || procedures.includes("/")) return null;
    return method === "GET" || method === "POST" ? trpcHttpHandler : null;
  }
  const route = matchRestRoute(method, pathname);
  if (!route) {
    // An unknown /api/v1 path (404) or a method its route lacks (405) in the family's JSON, and OPTIONS naming the
    // route's own methods, as the route files answer under Next; a trailing slash (308) stays Next's.
    const v1 = pathname === "/api/v1" || pathname.startsWith("/api/v1/");
    if (!v1 || pathname.endsWith("/")) return null;
    if (method === "OPTIONS") return restOptions;
    // HEAD of a route with a GET is Next's automatic HEAD.
    return method === "HEAD" && routeMethodsAt(pathname)?.includes("GET") ? null : restFallback;
  }
  const params = Promise.resolve(route.params);
  return (req) => route.handler(req, { params });
}

/**
 * A request listener step: answers the request and returns true when it is an API door's, else returns false and
 * leaves the request untouched. `fallbackOrigin` builds the request URL when the client sent no usable Host.
 */
export function apiDoor(fallbackOrigin: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const raw = req.url ?? "/";
    if (!raw.startsWith("/api/")) return false;
    const q = raw.indexOf("?");
    const pathname = q < 0 ? raw : raw.slice(0, q);
    // Only plain paths: anything a URL parser would rewrite (dot segments, encoded slashes, doubled slashes) is Next's.
    if (/\/\.{1,2}(\/|$)|%2f|%5c|\/\/|\\/i.test(pathname)) return false;
    const handler = apiHandlerFor(req.method ?? "GET", pathname);
    if (!handler) return false;
    const request = toWebRequest(req, fallbackOrigin);
    const headers = securityHeaders({ https: getEnv().secureCookies, pathname });
    handler(request)
      .then((response) => sendWebResponse(req, res, response, headers))
      .catch((e: unknown) => {
        // The doors map every error themselves; reaching this is a bug, and still no stack trace leaves.
        console.error(`[api] unhandled error on ${req.method} ${pathname}:`, e);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
          res.end(JSON.stringify({ error: "Internal error." }));
        } else res.destroy();
      });
    return true;
  };
}
