/**
 * The request context in one statement. A signed-in tRPC call needs its session row (live, not idle, user not
 * disabled; `lastSeenAt` touched at most once a minute), one hit on its rate-limit counter, and — for a tenant
 * procedure — the acting membership with its tenant's flags, the person's verification and two-factor state and the
 * membership's roles. Each of those was its own round trip (seven statements before any work); here they are one
 * CTE. The data-modifying parts (the touch, the counter) run exactly once whether or not the outer query reads them.
 *
 * `actorFromMember` applies the same refusals as before, in the same order, to the row.
 */
import { Prisma } from "../db/generated/client.ts";
import type { Db, Tx } from "../db/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { systemPermissionsOf, type Actor, type RequestMeta } from "./actor.ts";
import type { RoleLite } from "./effective.ts";
import { toValues } from "./load.ts";

type Reader = Db | Tx;

/** The acting membership as the context statement returns it. */
export type MemberRow = {
  membershipId: number;
  status: "ACTIVE" | "SUSPENDED";
  hasFullAccess: boolean;
  tenantId: number;
  tenantSlug: string;
  /** Shown by the navigation (tenants.current); optional so rows built elsewhere need not carry them. */
  tenantName?: string;
  tenantLogo?: unknown;
  tenantStatus: "ACTIVE" | "SUSPENDED";
  requireTwoFactor: boolean;
  accessVersion: number;
  userDisabled: boolean;
  emailVerified: boolean;
  twoFactor: boolean;
  roles: Array<{ slug: string; weight: number; defaults: unknown }>;
};

/** Where the membership is looked up: by the session's user (tRPC) or a known user (tokens, the CLI). */
type TenantRef = { tenantSlug: string } | { tenantId: number };

const tenantCondition = (ref: TenantRef | null) =>
  ref === null ? Prisma.sql`FALSE` : "tenantSlug" in ref ? Prisma.sql`t.slug = ${ref.tenantSlug}` : Prisma.sql`t.id = ${ref.tenantId}`;

/**
 * The membership SELECT (a MemberRow per row), for a user id and a tenant condition on `t` given as SQL: a parameter,
 * or a column of an enclosing CTE (the session's here, the token's in server/rest/authenticate.ts).
 */
export const memberSelectSql = (userId: Prisma.Sql, tenantWhere: Prisma.Sql) => Prisma.sql`
  SELECT m.id AS "membershipId", m.status::text AS status, m."hasFullAccess",
         t.id AS "tenantId", t.slug AS "tenantSlug", t.name AS "tenantName", t.logo AS "tenantLogo", t.status::text AS "tenantStatus", t."requireTwoFactor", t."accessVersion",
         u."disabledAt" IS NOT NULL AS "userDisabled", u."emailVerifiedAt" IS NOT NULL AS "emailVerified",
         EXISTS (SELECT 1 FROM "TwoFactor" f WHERE f."userId" = u.id AND f."enabledAt" IS NOT NULL) AS "twoFactor",
         COALESCE((SELECT json_agg(json_build_object('slug', r.slug, 'weight', r.weight, 'defaults', r.defaults))
                     FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r.id = mr."roleId"
                    WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m.id), '[]'::json) AS roles
    FROM "Tenant" t
    JOIN "Membership" m ON m."tenantId" = t.id AND m."userId" = ${userId}
    JOIN "User" u ON u.id = m."userId"
   WHERE ${tenantWhere}`;

const memberSelect = (userId: Prisma.Sql, ref: TenantRef | null) => memberSelectSql(userId, tenantCondition(ref));

/** The acting membership of a known user in one statement (token doors, the CLI, a second tenant in a batch). */
export async function loadMemberRow(db: Reader, userId: number, ref: TenantRef): Promise<MemberRow | null> {
  const rows = await db.$queryRaw<MemberRow[]>`${memberSelect(Prisma.sql`${userId}`, ref)}`;
  return rows[0] ?? null;
}

export type SessionLookup = { tokenHash: string } | { sessionId: number };

export type RequestRow = {
  sessionId: number | null;
  userId: number | null;
  reauthAt: Date | null;
  expiresAt: Date | null;
  points: number;
  resetAt: Date;
  member: MemberRow | null;
};

export type RequestQuery = {
  session: SessionLookup | null;
  now: Date;
  idleMs: number;
  /** lastSeenAt older than this is refreshed (a write per request would be pointless precision). */
  touchMs: number;
  /** The counter key for a live session's user (`<userKeyPrefix><userId>`) and the one used without a session. */
  userKeyPrefix: string;
  anonymousKey: string;
  userWindowMs: number;
  anonymousWindowMs: number;
  tenant: TenantRef | null;
};

/** Session, rate-limit hit and acting membership: one statement, whatever the outcome. */
export async function resolveRequestRow(db: Reader, q: RequestQuery): Promise<RequestRow> {
  const lookup =
    q.session === null ? Prisma.sql`FALSE`
      : "tokenHash" in q.session ? Prisma.sql`a."tokenHash" = ${q.session.tokenHash}`
        : Prisma.sql`a.id = ${q.session.sessionId}`;
  const idleCutoff = new Date(q.now.getTime() - q.idleMs);
  const touchCutoff = new Date(q.now.getTime() - q.touchMs);
  const userReset = new Date(q.now.getTime() + q.userWindowMs);
  const anonReset = new Date(q.now.getTime() + q.anonymousWindowMs);
  type Flat = Omit<RequestRow, "member"> & { member: MemberRow | null };
  const rows = await db.$queryRaw<Flat[]>`
    WITH s AS (
      SELECT a.id, a."userId", a."reauthAt", a."expiresAt", a."lastSeenAt"
        FROM "AuthSession" a JOIN "User" u ON u.id = a."userId"
       WHERE ${lookup} AND a."revokedAt" IS NULL AND a."expiresAt" > ${q.now} AND a."lastSeenAt" > ${idleCutoff}
         AND u."disabledAt" IS NULL
    ), touch AS (
      UPDATE "AuthSession" a SET "lastSeenAt" = ${q.now}
        FROM s WHERE a.id = s.id AND a."revokedAt" IS NULL AND s."lastSeenAt" < ${touchCutoff}
      RETURNING a.id
    ), k AS (
      SELECT COALESCE((SELECT ${q.userKeyPrefix} || s."userId"::text FROM s), ${q.anonymousKey}) AS key,
             CASE WHEN EXISTS (SELECT 1 FROM s) THEN ${userReset}::timestamp(3) ELSE ${anonReset}::timestamp(3) END AS "resetAt"
    ), rl AS (
      INSERT INTO "RateLimit" ("key", "points", "resetAt") SELECT k.key, 1, k."resetAt" FROM k
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN "RateLimit"."resetAt" <= ${q.now} THEN 1 ELSE "RateLimit"."points" + 1 END,
        "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${q.now} THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
      RETURNING "points", "resetAt"
    )
    SELECT s.id AS "sessionId", s."userId", s."reauthAt", s."expiresAt", rl.points, rl."resetAt",
           (SELECT row_to_json(mem) FROM (${memberSelect(Prisma.sql`s."userId"`, q.tenant)}) mem) AS member
      FROM rl LEFT JOIN s ON TRUE`;
  const row = rows[0]!;
  return {
    ...row,
    reauthAt: row.reauthAt ? new Date(row.reauthAt) : null,
    expiresAt: row.expiresAt ? new Date(row.expiresAt) : null,
    resetAt: new Date(row.resetAt),
  };
}

export type ActorExtras = {
  token?: { id: number; scopes: readonly string[] | null } | null;
  reauthAt?: Date | null;
};

/**
 * The actor for a membership row, or the refusal: an unknown tenant, a non-member and a disabled account are the
 * same NOT_FOUND (nobody learns which slugs exist); a suspended membership or tenant is FORBIDDEN; so is an
 * unverified address or a missing second factor where the tenant requires one.
 */
export function actorFromMember(row: MemberRow | null, userId: number, meta: RequestMeta, extras: ActorExtras = {}): Actor {
  if (!row || row.userDisabled) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Tenant not found." });
  if (row.status !== "ACTIVE") throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Your membership in this tenant is suspended." });
  if (row.tenantStatus !== "ACTIVE") throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "This tenant is suspended." });
  // An address nobody proved (join-page sign-up, an operator's or integrator's account) sees no tenant's data, even
  // when an admin accepted the membership: it stays "pending verification" until the emailed link is clicked.
  if (!row.emailVerified) {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      userMessage: "Confirm your email address first: open the link we emailed you, or send a new one from your account page.",
      reason: "EMAIL_UNVERIFIED",
    });
  }
  // A tenant that requires two-factor shows nothing, to pages or to the person's tokens, until the person enrols.
  if (row.requireTwoFactor && !row.twoFactor) {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      userMessage: "This tenant requires two-factor authentication. Turn it on for your account first.",
      reason: "TWO_FACTOR_REQUIRED",
    });
  }
  const token = extras.token ?? null;
  const tenantRoles: RoleLite[] = row.roles.map((r) => ({ slug: r.slug, weight: r.weight, defaults: toValues(r.defaults) }));
  return {
    kind: token ? "token" : "user",
    tenantId: row.tenantId,
    tenantSlug: row.tenantSlug,
    userId,
    membershipId: row.membershipId,
    tokenId: token?.id ?? null,
    scopes: token?.scopes ?? null,
    roles: tenantRoles.map((r) => r.slug),
    hasFullAccess: row.hasFullAccess,
    permissions: systemPermissionsOf(tenantRoles, row.hasFullAccess),
    meta,
    reauthAt: token ? null : (extras.reauthAt ?? null),
    accessVersion: row.accessVersion,
    tenantRoles,
    ...(row.tenantName !== undefined ? { tenantProfile: { name: row.tenantName, logo: row.tenantLogo ?? null } } : {}),
  };
}
