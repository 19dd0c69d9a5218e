/**
 * The actor: who is acting, inside which tenant, with which permissions. Built once per request by either door
 * (a session through tRPC, a token through REST) and handed to services, whose first line asks `assertCan`.
 * The tenant always comes from here, never from input.
 */
import type { Db } from "../db/client.ts";
import type { RoleLite } from "./effective.ts";
import { actorFromMember, loadMemberRow } from "./context-query.ts";
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
  /**
   * The tenant's `accessVersion` when the actor was loaded: the key under which the tenant's catalog and role
   * definitions are cached (server/authz/tenant-model.ts). Missing: read them from the database.
   */
  accessVersion?: number | null;
  /** The member's own tenant roles (slug, weight, defaults), as loaded with the actor: the tenant-level ceiling. */
  tenantRoles?: readonly RoleLite[];
  /** The tenant's display name and logo, when the context statement loaded them (saves tenants.current a read). */
  tenantProfile?: { name: string; logo: unknown };
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
 * Loads the acting member of a tenant in one statement (context-query.ts), with the refusals of actorFromMember:
 * an unknown tenant and a tenant the user does not belong to are the same NOT_FOUND; a suspended member or tenant is
 * FORBIDDEN.
 */
export async function loadMemberActor(
  db: Db,
  where: { userId: number; tenantSlug: string } | { userId: number; tenantId: number },
  meta: RequestMeta,
  token: { id: number; scopes: readonly string[] | null } | null = null,
  session: { reauthAt: Date | null } | null = null,
): Promise<Actor> {
  const ref = "tenantSlug" in where ? { tenantSlug: where.tenantSlug } : { tenantId: where.tenantId };
  const row = await loadMemberRow(db, where.userId, ref);
  return actorFromMember(row, where.userId, meta, { token, reauthAt: session?.reauthAt ?? null });
}
