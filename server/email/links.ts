/**
 * Links in emails. They are built from the configured public URL (NEXTAUTH_URL, getEnv().publicUrl), never from a
 * request's Host header, which an attacker controls. A caller may pass another base (seed 003's verificationBaseUrl)
 * only together with the origins it allows (the tenant's allow-list); the app's own origin is always allowed.
 */
import { AppError } from "../errors.ts";
import { getEnv } from "../env.ts";

export type LinkOptions = {
  /** A base URL such as "https://partner.example/roster"; its origin must be the app's or in allowedOrigins. */
  base?: string;
  allowedOrigins?: readonly string[];
};

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** Whether `base` may be used as a link base: http(s), no credentials/query/fragment, origin allowed. */
export function isAllowedLinkBase(publicUrl: string, base: string, allowedOrigins: readonly string[] = []): boolean {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return false;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return false;
  if (u.username || u.password || u.search || u.hash) return false;
  const allowed = new Set([originOf(publicUrl), ...allowedOrigins.map(originOf)].filter((o): o is string => !!o));
  return allowed.has(u.origin);
}

/** Pure form of appLink, for tests and callers that hold the public URL already. */
export function buildLink(publicUrl: string, path: string, opts: LinkOptions = {}): string {
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) {
    throw new Error(`appLink: path must be absolute within the app, got "${path}"`);
  }
  let base = publicUrl;
  if (opts.base !== undefined) {
    if (!isAllowedLinkBase(publicUrl, opts.base, opts.allowedOrigins)) {
      throw new AppError("UNPROCESSABLE", {
        message: `link base ${JSON.stringify(opts.base)} is not on the allow-list`,
        userMessage: "The link base URL is not on this tenant's allow-list.",
      });
    }
    base = opts.base;
  }
  const u = new URL(base);
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}${path}`;
}

/** An absolute link to `path` (e.g. "/invite/abc") on the configured public URL, or on an allow-listed base. */
export function appLink(path: string, opts: LinkOptions = {}): string {
  return buildLink(getEnv().publicUrl, path, opts);
}
