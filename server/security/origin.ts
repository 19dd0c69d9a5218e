/**
 * Same-origin checks for state-changing requests that a browser authenticates with cookies (tRPC, next-auth, the
 * invitation form posts). SameSite=Lax already keeps cross-site POSTs from carrying our cookies; this is the second
 * wall (ASVS 3.5): a request whose Origin is another site, or that Fetch Metadata marks cross-site, is refused.
 */
import { getEnv } from "../env.ts";

/**
 * True when a state-changing request comes from this app: its Origin is the public URL's origin or names the host
 * the browser sent the request to. (Only compared, never used to build a link.)
 */
export function isSameOriginRequest(req: Request): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return false;
  const origin = req.headers.get("origin");
  // Pages that send no referrer make browsers post with `Origin: null`: Fetch Metadata decides then, and a client
  // that sends neither header (curl, a server) is not a browser carrying someone's cookies.
  if (!origin || origin === "null") return site === null || site === "same-origin" || site === "none";
  if (origin === new URL(getEnv().publicUrl).origin) return true;
  try {
    return new URL(origin).host === req.headers.get("host");
  } catch {
    return false;
  }
}
