/**
 * Bearer authentication for /api/v1. Accepted forms:
 *   `Bearer <partner>, User <user>`  (seed 000: an integration acting as one of its tenant's users)
 *   `Bearer <token>`                 (seed 003: a user token, a personal token, or a partner token)
 * Cookies are never consulted, so the seeds' state-changing GET routes cannot be triggered cross-site.
 * Every failure (missing, malformed, unknown, expired, revoked, a pair from two tenants) is the same 401.
 */
import { loadMemberActor, SYSTEM_PERMISSIONS_SET, type Actor, type RequestMeta } from "../authz/actor.ts";
import type { SystemPermission } from "../authz/catalog.ts";
import { hashSecret } from "../auth/secrets.ts";
import type { Db } from "../db/client.ts";
import { AppError, AppErrorCode, isAppError } from "../errors.ts";
import { blockedFor, hit, limit, tooManyRequests } from "../security/rate-limit.ts";

export type Credentials = { kind: "single"; token: string } | { kind: "pair"; partner: string; user: string };

const TOKEN = "([A-Za-z0-9_\\-.~+/=]{16,512})";
const PAIR = new RegExp(`^Bearer\\s+${TOKEN}\\s*,\\s*User\\s+${TOKEN}$`, "i");
const SINGLE = new RegExp(`^Bearer\\s+${TOKEN}$`, "i");

export const unauthenticated = () => new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Authentication needed." });

export function parseAuthorization(header: string | null): Credentials {
  const value = header?.trim() ?? "";
  const pair = PAIR.exec(value);
  if (pair) return { kind: "pair", partner: pair[1]!, user: pair[2]! };
  const single = SINGLE.exec(value);
  if (single) return { kind: "single", token: single[1]! };
  throw unauthenticated();
}

type TokenRow = {
  id: number;
  tenantId: number;
  kind: "PARTNER" | "USER" | "PERSONAL";
  scopes: string[];
  userId: number | null;
  lastUsedAt: Date | null;
  tenant: { slug: string; status: "ACTIVE" | "SUSPENDED" };
};

// A write per API call would double the cost of every read; a minute's precision is enough for "last used".
const TOUCH_INTERVAL_MS = 60_000;

async function findLiveToken(db: Db, raw: string, now: Date): Promise<TokenRow> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashSecret(raw) },
    select: {
      id: true, tenantId: true, kind: true, scopes: true, userId: true, lastUsedAt: true, revokedAt: true, expiresAt: true,
      tenant: { select: { slug: true, status: true } },
      parent: { select: { revokedAt: true, expiresAt: true } },
    },
  });
  const dead = (t: { revokedAt: Date | null; expiresAt: Date | null } | null) => !!t && (!!t.revokedAt || (!!t.expiresAt && t.expiresAt <= now));
  if (!row || dead(row) || dead(row.parent)) throw unauthenticated();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return row;
}

/** The partner itself, acting as the integration: its scopes are its permissions. */
function partnerActor(token: TokenRow, meta: RequestMeta): Actor {
  const permissions = new Set(token.scopes.filter((s): s is SystemPermission => SYSTEM_PERMISSIONS_SET.has(s)));
  return {
    kind: "token", tenantId: token.tenantId, tenantSlug: token.tenant.slug, userId: null, membershipId: null, tokenId: token.id,
    scopes: token.scopes, roles: [], hasFullAccess: false, permissions, meta,
  };
}

async function userActor(db: Db, token: TokenRow, scopes: readonly string[], meta: RequestMeta): Promise<Actor> {
  if (token.userId === null) throw unauthenticated();
  try {
    return await loadMemberActor(db, { userId: token.userId, tenantId: token.tenantId }, meta, { id: token.id, scopes });
  } catch (e) {
    // A token whose user has left the tenant is as dead as a revoked one.
    if (e instanceof AppError && e.code === AppErrorCode.NOT_FOUND) throw unauthenticated();
    throw e;
  }
}

export type RestPrincipal = { actor: Actor; partner: TokenRow | null };

export async function authenticateRequest(db: Db, header: string | null, meta: RequestMeta, now = new Date()): Promise<RestPrincipal> {
  const creds = parseAuthorization(header);
  if (creds.kind === "single") {
    const token = await findLiveToken(db, creds.token, now);
    if (token.tenant.status !== "ACTIVE") throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "This tenant is suspended." });
    if (token.kind === "PARTNER") return { actor: partnerActor(token, meta), partner: token };
    return { actor: await userActor(db, token, token.scopes, meta), partner: null };
  }
  const partner = await findLiveToken(db, creds.partner, now);
  const user = await findLiveToken(db, creds.user, now);
  if (partner.kind !== "PARTNER" || user.kind === "PARTNER" || partner.tenantId !== user.tenantId) throw unauthenticated();
  if (partner.tenant.status !== "ACTIVE") throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "This tenant is suspended." });
  // Effective rights = partner scopes ∩ user token scopes ∩ the user's own current rights (the actor's permissions).
  const scopes = partner.scopes.filter((s) => user.scopes.includes(s));
  return { actor: await userActor(db, user, scopes, meta), partner };
}

/**
 * authenticateRequest behind the REST door's limits: an IP with too many failed token authentications
 * (TOKEN_AUTH_FAIL_IP) is refused before its token is even looked up, so guessing stops there, and every
 * authenticated call counts against its token (REST_TOKEN; a partner's `Bearer <partner>, User <user>` calls count
 * against the partner, the integration whose budget it is). Both refusals are 429 with Retry-After.
 */
export async function authenticateWithLimits(db: Db, header: string | null, meta: RequestMeta, now = new Date()): Promise<RestPrincipal> {
  const failKey = `token-auth-fail:ip:${meta.ip ?? "unknown"}`;
  const failLimit = limit("tokenAuthFailIp");
  const blocked = await blockedFor(db, failKey, failLimit, now);
  if (blocked > 0) throw tooManyRequests(blocked, "failed authentications");
  let principal: RestPrincipal;
  try {
    principal = await authenticateRequest(db, header, meta, now);
  } catch (e) {
    if (isAppError(e) && e.code === AppErrorCode.UNAUTHORIZED) await hit(db, failKey, failLimit, now);
    throw e;
  }
  const tokenId = principal.partner?.id ?? principal.actor.tokenId;
  const retryAfter = await hit(db, `rest:token:${tokenId}`, limit("restToken"), now);
  if (retryAfter > 0) throw tooManyRequests(retryAfter, "requests");
  return principal;
}
