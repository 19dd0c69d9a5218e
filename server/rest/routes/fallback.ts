/**
 * What every path under /api/v1 answers when no handler takes the request: 404 for a path no route has, 405 with
 * `Allow` for a method the route lacks, in the error shape of the path's family (WIRE.md, route families) and before
 * any authentication, so an integrator's typo gets JSON it can read rather than Next's HTML page or an empty 405.
 * Both doors use it: Roster's server (server/http/api-door.ts) and Next's router, where each REST route file exports
 * it for the methods it does not define and app/api/v1/[...path] catches the paths no file has. OPTIONS is answered
 * by restOptions rather than Next's automatic one, which would list the fallback's methods as allowed.
 */
import { AppError, AppErrorCode } from "../../errors.ts";
import { requestMeta } from "../http.ts";
import { error000 } from "../seed000.ts";
import { problem003 } from "../seed003.ts";
import { routeMethodsAt } from "./index.ts";

/** Seed 000's families speak its envelope; every other path (seed 003's and Roster's own) the problem shape. */
const SEED000_FAMILIES = new Set(["auth", "company", "company_users", "user", "access"]);

export function apiErrorRenderer(pathname: string): typeof error000 {
  const family = pathname.startsWith("/api/v1/") ? pathname.slice("/api/v1/".length).split("/", 1)[0]! : "";
  return SEED000_FAMILIES.has(family) ? error000 : problem003;
}

export async function restFallback(req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  const render = apiErrorRenderer(pathname);
  const meta = requestMeta(req);
  const methods = routeMethodsAt(pathname);
  if (!methods) {
    return render(new AppError(AppErrorCode.NOT_FOUND, { userMessage: `No such endpoint: ${req.method} ${pathname}.` }), meta);
  }
  const allow = allowHeader(methods);
  const response = render(new AppError(AppErrorCode.METHOD_NOT_ALLOWED, { userMessage: `${req.method} is not allowed on ${pathname}; allowed: ${allow}.` }), meta);
  response.headers.set("allow", allow);
  return response;
}

/** HEAD comes with GET (Next answers it from the GET handler), OPTIONS with every route. */
const allowHeader = (methods: readonly string[]) => [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");

/** OPTIONS of a route: 204 with the methods it really defines; an unknown path is restFallback's 404. */
export async function restOptions(req: Request): Promise<Response> {
  const methods = routeMethodsAt(new URL(req.url).pathname);
  if (!methods) return restFallback(req);
  return new Response(null, { status: 204, headers: { allow: allowHeader(methods) } });
}
