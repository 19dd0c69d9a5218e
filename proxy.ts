/**
 * Next 16's proxy (the former middleware): runs before every request Next handles except static build assets and
 * sets the security headers of server/security/headers.ts. (Under Roster's own server, the API requests answered by
 * server/http/api-door.ts never reach Next; the door sets the same headers itself.) Pages also get a fresh nonce: it goes into the response's
 * Content-Security-Policy and, as Next's CSP guide does, into the *request* headers (`x-nonce` and a
 * `Content-Security-Policy` request header), from which Next reads it while rendering and puts it on its own scripts.
 * That only works for pages rendered per request, which the root layout guarantees (it awaits `connection()`).
 *
 * Page requests also carry `x-roster-path` (their path and query) for the layouts' sign-in redirects.
 *
 * Kept cheap on purpose: no database, no next-auth; only the cached environment (proxies run in the Node runtime in
 * Next 16, so server/env.ts is usable here). Authentication stays in pages and procedures.
 */
import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER } from "./server/auth/return-path.ts";
import { getEnv } from "./server/env.ts";
import { contentSecurityPolicy, isPagePath, newNonce, securityHeaders } from "./server/security/headers.ts";

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const requestHeaders = new Headers(request.headers);
  // A client never chooses the nonce: whatever it sent under these names is replaced or removed.
  requestHeaders.delete("x-nonce");
  requestHeaders.delete("content-security-policy");
  requestHeaders.delete(REQUEST_PATH_HEADER);
  let csp: string | null = null;
  if (isPagePath(pathname)) {
    // Layouts cannot see the URL; the sign-in redirect of a deep link needs its whole path and query to come back to.
    requestHeaders.set(REQUEST_PATH_HEADER, pathname + request.nextUrl.search);
    const nonce = newNonce();
    csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", csp);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (csp) response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of securityHeaders({ https: getEnv().secureCookies, pathname })) response.headers.set(name, value);
  return response;
}

export const config = {
  // Build assets are immutable files with their own content types; the image optimizer and favicon likewise.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
