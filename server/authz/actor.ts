/**
 * The actor: who is acting, inside which tenant, with which permissions. Built once per request by either door
 * (a session through tRPC, a token through REST) and handed to services, whose first line asks `assertCan`.
 * The tenant always comes from here, never from input.
 */
import type { Db } from "../db/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { SYSTEM_PERMISSIONS, type SystemPermission } from "./catalog.ts";
import { OWNER_ROLE } from "./roles.ts";

export const SYSTEM_PERMISSIONS_SET: ReadonlySet<string> = new Set(SYSTEM_PERMISSIONS.map((p) => p.slug));

export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string | null };

export type Actor = {
  /** "system": the CLI and boot-time seeding, acting with every permission inside one tenant. */
  kind: "user" | "token" | "system";
  tenantId: number;
  tenantSlug: string;
  userId: number | null;
  membershipId: number | null;
  tokenId: number | null;
  /** Token scopes; null when the actor is a signed-in person (no scope restriction). */
  scopes: readonly string[] | null;
  roles: readonly string[];
  hasFullAccess: boolean;
  permissions: ReadonlySet<SystemPermission>;
  meta: RequestMeta;
  /**
   * For a person signed in with a cookie session (kind "user"): when they last entered their password or a code in
   * that session. Sensitive changes need it recent (server/auth/reauth.ts `assertRecentAuth`); missing means stale.
   * Tokens and the system have none: the token is the credential and its scopes bound it.
   */
  reauthAt?: Date | null;
};

/** Tenant-level system permissions from a membership's roles; owners and full-access members hold all of them. */
export function systemPermissionsOf(
  roles: ReadonlyArray<{ slug: string; defaults: unknown }>,
  hasFullAccess: boolean,
): Set<SystemPermission> {
  const all = SYSTEM_PERMISSIONS.map((p) => p.slug);
  if (hasFullAccess || roles.some((r) => r.slug === OWNER_ROLE)) return new Set(all);
  const out = new Set<SystemPermission>();
  for (const role of roles) {
    const defaults = (role.defaults ?? {}) as Record<string, unknown>;
    for (const p of all) if (defaults[p] === true) out.add(p);
  }
  return out;
}

/** Throws FORBIDDEN unless the actor holds `permission` (and, for tokens, the token's scopes include it). */
export function assertCan(actor: Actor, permission: SystemPermission): void {
  const scoped = actor.scopes === null || actor.scopes.includes(permission);
  if (!actor.permissions.has(permission) || !scoped) {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      userMessage: actor.kind === "token" ? `Access denied. Missing permission: ${permission}` : "Access denied.",
    });
  }
}

export const can = (actor: Actor, permission: SystemPermission) =>
  actor.permissions.has(permission) && (actor.scopes === null || actor.scopes.includes(permission));

/** The operator at the CLI: every permission inside one tenant, attributed to the system in the audit log. */
export async function loadSystemActor(db: Db, tenantSlug: string): Promise<Actor> {
  const tenant = await db.tenant.findUnique({ where: { slug: tenantSlug }, select: { id: true, slug: true } });
  if (!tenant) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `No tenant with slug "${tenantSlug}".` });
  return systemActorFor(tenant);
}

export function systemActorFor(tenant: { id: number; slug: string }): Actor {
  return {
    kind: "system",
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    userId: null,
    membershipId: null,
    tokenId: null,
    scopes: null,
    roles: [OWNER_ROLE],
    hasFullAccess: true,
    permissions: new Set(SYSTEM_PERMISSIONS.map((p) => p.slug)),
    meta: { ip: null, userAgent: "cli", requestId: null },
  };
}

/**
 * Loads the acting member of a tenant. An unknown tenant and a tenant the user does not belong to are the same
 * NOT_FOUND (tenant isolation: nobody learns which slugs exist); a suspended member or tenant is FORBIDDEN.
 */
export async function loadMemberActor(
  db: Db,
  where: { userId: number; tenantSlug: string } | { userId: number; tenantId: number },
  meta: RequestMeta,
  token: { id: number; scopes: readonly string[] | null } | null = null,
  session: { reauthAt: Date | null } | null = null,
): Promise<Actor> {
  const membership = await db.membership.findFirst({
    where: { userId: where.userId, tenant: "tenantSlug" in where ? { slug: where.tenantSlug } : { id: where.tenantId } },
    select: {
      id: true,
      status: true,
      hasFullAccess: true,
      tenant: { select: { id: true, slug: true, status: true, requireTwoFactor: true } },
      user: { select: { disabledAt: true, emailVerifiedAt: true, twoFactor: { select: { enabledAt: true } } } },
      roles: { select: { role: { select: { slug: true, defaults: true } } } },
    },
  });
  if (!membership || membership.user.disabledAt) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Tenant not found." });
  if (membership.status !== "ACTIVE") {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Your membership in this tenant is suspended." });
  }
  if (membership.tenant.status !== "ACTIVE") {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "This tenant is suspended." });
  }
  // An address nobody proved (join-page sign-up, an operator's or integrator's account) sees no tenant's data, even
  // when an admin accepted the membership: it stays "pending verification" until the emailed link is clicked.
  if (!membership.user.emailVerifiedAt) {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      userMessage: "Confirm your email address first: open the link we emailed you, or send a new one from your account page.",
      reason: "EMAIL_UNVERIFIED",
    });
  }
  // A tenant that requires two-factor shows nothing, to pages or to the person's tokens, until the person enrols.
  if (membership.tenant.requireTwoFactor && !membership.user.twoFactor?.enabledAt) {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      userMessage: "This tenant requires two-factor authentication. Turn it on for your account first.",
      reason: "TWO_FACTOR_REQUIRED",
    });
  }
  const roles = membership.roles.map((r) => r.role);
  return {
    kind: token ? "token" : "user",
    tenantId: membership.tenant.id,
    tenantSlug: membership.tenant.slug,
    userId: where.userId,
    membershipId: membership.id,
    tokenId: token?.id ?? null,
    scopes: token?.scopes ?? null,
    roles: roles.map((r) => r.slug),
    hasFullAccess: membership.hasFullAccess,
    permissions: systemPermissionsOf(roles, membership.hasFullAccess),
    meta,
    reauthAt: token ? null : (session?.reauthAt ?? null),
  };
}
