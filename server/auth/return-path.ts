/**
 * Where to send someone after signing in: the path (with query and fragment) they asked for, only when it stays on
 * this site. Anything else — another origin (`https://…`, `//host`, `/\host`, which browsers read as `//host`), a
 * control character, a non-string, an absurd length — falls back to `/`, which sends them to their first tenant's
 * Overview. Guarding here, not in each page, keeps open redirects out of every sign-in link.
 */
const BASE = "http://roster.invalid";

export function safeReturnPath(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== "string" || !v.startsWith("/") || v.length > 2048) return "/";
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(v)) return "/";
  try {
    const u = new URL(v, BASE);
    return u.origin === BASE ? u.pathname + u.search + u.hash : "/";
  } catch {
    return "/";
  }
}

/** The request header proxy.ts sets on page requests: the path and query the browser asked for. */
export const REQUEST_PATH_HEADER = "x-roster-path";

/** `/signin?callbackUrl=…` for a return to `path` (made safe). */
export const signInUrlFor = (path: unknown): string => `/signin?callbackUrl=${encodeURIComponent(safeReturnPath(path))}`;
