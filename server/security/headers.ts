/**
 * The response security headers, in one place: proxy.ts applies them to every request Next handles except static
 * build assets (next.config.js only adds nosniff there, where the proxy does not run), and server/http/api-door.ts
 * to the API requests it answers ahead of Next. Pure functions, so the policy is unit-tested
 * and the proxy stays cheap: no database, no next-auth, only the cached environment.
 *
 * - Content-Security-Policy on every page (not on /api, which answers JSON): scripts only by this request's nonce
 *   plus 'strict-dynamic' (what Next's own chunks load), never 'unsafe-inline' or (in production) 'unsafe-eval';
 *   styles from our origin or by nonce; style *attributes* are allowed because the dialog library positions with
 *   inline `style=""` (they cannot run script); no plugins, no <base>, forms post only to us, never framed.
 * - Strict-Transport-Security exactly when the public URL (NEXTAUTH_URL) is https: on plain http it would be
 *   ignored at best and, behind a TLS-terminating proxy that later moves, lock browsers out at worst.
 */

/** Two years, subdomains included (the preload list's minimum is one year). */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** Features no page uses; denied for us and for anything embedded. */
export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/** 16 random bytes from the CSPRNG, base64: unguessable per response (CSP3 asks for at least 128 bits). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

/** The policy of one page response. `dev`: React's development build needs eval for its error overlays. */
export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/** Invitation pages once carried the token in their address: never send it anywhere as a Referer. */
// Pages whose URL may carry a secret (invitation, email verification and password reset links) send no Referer at all.
const isInvitePath = (pathname: string) =>
  pathname === "/invite" || pathname.startsWith("/invite/") || pathname === "/verify-email" || pathname === "/reset-password";

/** The non-CSP headers of every response the proxy sees (pages and API alike). */
export function securityHeaders(opts: { https: boolean; pathname: string }): [string, string][] {
  const headers: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", "DENY"],
    ["Referrer-Policy", isInvitePath(opts.pathname) ? "no-referrer" : "strict-origin-when-cross-origin"],
    ["Permissions-Policy", PERMISSIONS_POLICY],
    // Another site's window never gets a handle on ours (and our pages none on theirs): ASVS 3.4.8.
    ["Cross-Origin-Opener-Policy", "same-origin"],
  ];
  if (opts.https) headers.push(["Strict-Transport-Security", HSTS_VALUE]);
  return headers;
}

/** True for paths that render pages (and so get a nonce and the CSP); /api answers JSON. */
export const isPagePath = (pathname: string) => pathname !== "/api" && !pathname.startsWith("/api/");
