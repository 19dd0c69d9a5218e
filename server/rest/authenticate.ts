/**
 * Bearer authentication for /api/v1. Accepted forms:
 *   `Bearer <partner>, User <user>`  (seed 000: an integration acting as one of its tenant's users)
 *   `Bearer <token>`                 (seed 003: a user token, a personal token, or a partner token)
 * Cookies are never consulted, so the seeds' state-changing GET routes cannot be triggered cross-site.
 * Every failure (missing, malformed, unknown, expired, revoked, a pair from two tenants) is the same 401.
 *
 * One statement per request, whatever the outcome (it was up to nine: the block check, each token with its parent and
 * its `lastUsedAt` touch, the acting membership's relation queries, the counter hit): a CTE that checks the IP's
 * failed-authentication block, finds the token(s) by hash with their parent's and their own expiry and revocation,
 * touches `lastUsedAt` when older than a minute, reads the acting membership (its status, the tenant's status and
 * flags, the person's disabled / verified / two-factor state, its roles), decides the outcome, and — by that outcome —
 * counts a failed authentication (401 only) or one REST_TOKEN call (success only). The same refusals as before are then
 * raised from the returned row, in the same order, by the same code (server/authz/context-query.ts actorFromMember).
 */
import { SYSTEM_PERMISSIONS_SET, type Actor, type RequestMeta } from "../authz/actor.ts";
import type { SystemPermission } from "../authz/catalog.ts";
import { actorFromMember, memberSelectSql, type MemberRow } from "../authz/context-query.ts";
import { hashSecret } from "../auth/secrets.ts";
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { limit, tooManyRequests } from "../security/rate-limit.ts";

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

type TokenKind = "PARTNER" | "USER" | "PERSONAL";

type TokenRow = {
  id: number;
  tenantId: number;
  kind: TokenKind;
  scopes: string[];
  userId: number | null;
  lastUsedAt: Date | null;
  tenant: { slug: string; status: "ACTIVE" | "SUSPENDED" };
};

// A write per API call would double the cost of every read; a minute's precision is enough for "last used".
const TOUCH_INTERVAL_MS = 60_000;

/** `member_refused`: a person whose membership, tenant, address or second factor refuses the call (a 403). */
type Outcome = "blocked" | "unauthenticated" | "tenant_suspended" | "member" | "member_refused" | "partner";

type AuthRow = {
  outcome: Outcome;
  blockedUntil: Date | string | null;
  a: (Omit<TokenRow, "tenant"> & { tenantSlug: string; tenantStatus: "ACTIVE" | "SUSPENDED" }) | null;
  b: (Omit<TokenRow, "tenant"> & { tenantSlug: string; tenantStatus: "ACTIVE" | "SUSPENDED" }) | null;
  member: MemberRow | null;
  points: number | null;
  resetAt: Date | string | null;
};

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

function tokenOf(t: NonNullable<AuthRow["a"]>): TokenRow {
  return {
    id: t.id, tenantId: t.tenantId, kind: t.kind, scopes: t.scopes, userId: t.userId, lastUsedAt: asDate(t.lastUsedAt as Date | string | null),
    tenant: { slug: t.tenantSlug, status: t.tenantStatus },
  };
}

/** The partner itself, acting as the integration: its scopes are its permissions. */
function partnerActor(token: TokenRow, meta: RequestMeta): Actor {
  const permissions = new Set(token.scopes.filter((s): s is SystemPermission => SYSTEM_PERMISSIONS_SET.has(s)));
  return {
    kind: "token", tenantId: token.tenantId, tenantSlug: token.tenant.slug, userId: null, membershipId: null, tokenId: token.id,
    scopes: token.scopes, roles: [], hasFullAccess: false, permissions, meta,
  };
}

export type RestPrincipal = { actor: Actor; partner: TokenRow | null };

type Limits = { failKey: string; failPoints: number; failWindowMs: number; restWindowMs: number } | null;

/**
 * The one statement. `a` is the single token or the pair's partner, `b` the pair's user token. The outcome is decided
 * in SQL because the two counters depend on it; `member` is the acting membership when a person acts.
 */
async function authStatement(db: Db, creds: Credentials | null, now: Date, limits: Limits): Promise<AuthRow> {
  const hashA = creds === null ? null : hashSecret(creds.kind === "single" ? creds.token : creds.partner);
  const hashB = creds?.kind === "pair" ? hashSecret(creds.user) : null;
  const pair = creds?.kind === "pair";
  const touchBefore = new Date(now.getTime() - TOUCH_INTERVAL_MS);
  // Who acts as a person: the pair's user token, or a single token that is not a partner's.
  const acting = pair ? Prisma.sql`b` : Prisma.sql`(SELECT a.* FROM a WHERE a.kind <> 'PARTNER')`;
  const found = pair
    ? Prisma.sql`EXISTS (SELECT 1 FROM a JOIN b ON a."tenantId" = b."tenantId" WHERE a.kind = 'PARTNER' AND b.kind <> 'PARTNER')`
    : Prisma.sql`EXISTS (SELECT 1 FROM a)`;
  const failKey = limits?.failKey ?? null;
  const rows = await db.$queryRaw<AuthRow[]>`
    WITH blk AS (
      SELECT COALESCE((SELECT r.points >= ${limits?.failPoints ?? 0}::int AND r."resetAt" > ${now}
                         FROM "RateLimit" r WHERE r.key = ${failKey}::text), FALSE) AS blocked,
             (SELECT r."resetAt" FROM "RateLimit" r WHERE r.key = ${failKey}::text) AS until
    ), tok AS (
      SELECT t.id, t."tenantId", t.kind::text AS kind, t.scopes, t."userId", t."lastUsedAt", t."tokenHash",
             n.slug AS "tenantSlug", n.status::text AS "tenantStatus"
        FROM "ApiToken" t
        JOIN "Tenant" n ON n.id = t."tenantId"
        LEFT JOIN "ApiToken" p ON p."tenantId" = t."tenantId" AND p.id = t."parentId"
       WHERE t."tokenHash" IN (${hashA}::text, ${hashB}::text) AND NOT (SELECT blocked FROM blk)
         AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > ${now})
         AND (p.id IS NULL OR (p."revokedAt" IS NULL AND (p."expiresAt" IS NULL OR p."expiresAt" > ${now})))
    ), a AS (
      SELECT * FROM tok WHERE "tokenHash" = ${hashA}::text
    ), b AS (
      SELECT * FROM tok WHERE "tokenHash" = ${hashB}::text
    ), act AS (
      SELECT x."userId", x."tenantId" FROM ${acting} x
    ), mem AS (
      ${memberSelectSql(Prisma.sql`(SELECT "userId" FROM act)`, Prisma.sql`t.id = (SELECT "tenantId" FROM act)`)}
    ), o AS (
      SELECT CASE
        WHEN (SELECT blocked FROM blk) THEN 'blocked'
        WHEN NOT ${found} THEN 'unauthenticated'
        WHEN (SELECT "tenantStatus" FROM a) <> 'ACTIVE' THEN 'tenant_suspended'
        WHEN NOT EXISTS (SELECT 1 FROM ${acting} x) THEN 'partner'
        WHEN NOT EXISTS (SELECT 1 FROM mem WHERE NOT "userDisabled") THEN 'unauthenticated'
        WHEN EXISTS (SELECT 1 FROM mem WHERE status = 'ACTIVE' AND "tenantStatus" = 'ACTIVE' AND "emailVerified"
                                         AND (NOT "requireTwoFactor" OR "twoFactor")) THEN 'member'
        ELSE 'member_refused' END AS outcome
    ), touch AS (
      UPDATE "ApiToken" t SET "lastUsedAt" = ${now}
        FROM tok WHERE t."tenantId" = tok."tenantId" AND t.id = tok.id AND (t."lastUsedAt" IS NULL OR t."lastUsedAt" < ${touchBefore})
      RETURNING t.id
    ), fail AS (
      INSERT INTO "RateLimit" ("key", "points", "resetAt")
      SELECT ${failKey}::text, 1, ${new Date(now.getTime() + (limits?.failWindowMs ?? 0))} FROM o WHERE o.outcome = 'unauthenticated' AND ${failKey}::text IS NOT NULL
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN 1 ELSE "RateLimit"."points" + 1 END,
        "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
      RETURNING "points"
    ), rl AS (
      -- Counted only for a call that gets past authentication, as before (a refused member is a 403 and counts nothing).
      -- A pair counts against the partner, the integration's budget.
      INSERT INTO "RateLimit" ("key", "points", "resetAt")
      SELECT 'rest:token:' || (SELECT a.id FROM a)::text, 1, ${new Date(now.getTime() + (limits?.restWindowMs ?? 0))}
        FROM o WHERE o.outcome IN ('member', 'partner') AND ${limits !== null}
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN 1 ELSE "RateLimit"."points" + 1 END,
        "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
      RETURNING "points", "resetAt"
    )
    SELECT o.outcome, (SELECT until FROM blk) AS "blockedUntil",
           (SELECT row_to_json(a) FROM a) AS a, (SELECT row_to_json(b) FROM b) AS b,
           (SELECT row_to_json(mem) FROM mem) AS member,
           (SELECT points FROM rl) AS points, (SELECT "resetAt" FROM rl) AS "resetAt"
      FROM o`;
  return rows[0]!;
}

const suspendedTenant = () => new AppError(AppErrorCode.FORBIDDEN, { userMessage: "This tenant is suspended." });

/** The principal of a decided row, or the refusal (the same errors, in the same order, as the per-step code had). */
function principalOf(row: AuthRow, creds: Credentials, meta: RequestMeta): RestPrincipal {
  if (row.outcome === "unauthenticated" || !row.a) throw unauthenticated();
  if (row.outcome === "tenant_suspended") throw suspendedTenant();
  const a = tokenOf(row.a);
  if (row.outcome === "partner") return { actor: partnerActor(a, meta), partner: a };
  const user = creds.kind === "pair" ? (row.b ? tokenOf(row.b) : null) : a;
  if (!user || user.userId === null) throw unauthenticated();
  // Effective rights = partner scopes ∩ user token scopes ∩ the user's own current rights (the actor's permissions).
  const scopes = creds.kind === "pair" ? a.scopes.filter((s) => user.scopes.includes(s)) : user.scopes;
  try {
    const actor = actorFromMember(row.member, user.userId, meta, { token: { id: user.id, scopes } });
    return { actor, partner: creds.kind === "pair" ? a : null };
  } catch (e) {
    // A token whose user has left the tenant is as dead as a revoked one.
    if (e instanceof AppError && e.code === AppErrorCode.NOT_FOUND) throw unauthenticated();
    throw e;
  }
}

/** Who the header acts as, without the REST door's limits (the counters are neither read nor written). */
export async function authenticateRequest(db: Db, header: string | null, meta: RequestMeta, now = new Date()): Promise<RestPrincipal> {
  const creds = parseAuthorization(header);
  return principalOf(await authStatement(db, creds, now, null), creds, meta);
}

const secondsUntil = (at: Date | null, now: Date) => Math.max(1, Math.ceil(((at?.getTime() ?? now.getTime()) - now.getTime()) / 1000));

/**
 * authenticateRequest behind the REST door's limits: an IP with too many failed token authentications
 * (TOKEN_AUTH_FAIL_IP) is refused before its token is even looked up, so guessing stops there, and every
 * authenticated call counts against its token (REST_TOKEN; a partner's `Bearer <partner>, User <user>` calls count
 * against the partner, the integration whose budget it is). Both refusals are 429 with Retry-After. A malformed
 * header is a failed authentication too (counted by the same statement, with no token to look up).
 */
export async function authenticateWithLimits(db: Db, header: string | null, meta: RequestMeta, now = new Date()): Promise<RestPrincipal> {
  const failLimit = limit("tokenAuthFailIp");
  const restLimit = limit("restToken");
  let creds: Credentials | null;
  try {
    creds = parseAuthorization(header);
  } catch {
    creds = null;
  }
  const row = await authStatement(db, creds, now, {
    failKey: `token-auth-fail:ip:${meta.ip ?? "unknown"}`, failPoints: failLimit.points, failWindowMs: failLimit.windowMs, restWindowMs: restLimit.windowMs,
  });
  if (row.outcome === "blocked") throw tooManyRequests(secondsUntil(asDate(row.blockedUntil), now), "failed authentications");
  if (creds === null) throw unauthenticated();
  const principal = principalOf(row, creds, meta);
  if (row.points !== null && row.points > restLimit.points) throw tooManyRequests(secondsUntil(asDate(row.resetAt), now), "requests");
  return principal;
}
