/** The tenant the actor is acting in, with the actor's own roles and permissions there (drives the navigation). */
import type { Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import type { TCurrentTenant } from "./tenants.schema.ts";

export async function getCurrentTenant(db: Db, actor: Actor): Promise<TCurrentTenant> {
  // The request's context statement read the name and logo with the membership; other actors (CLI) read them here.
  const tenant = actor.tenantProfile
    ? { id: actor.tenantId, slug: actor.tenantSlug, name: actor.tenantProfile.name, logo: actor.tenantProfile.logo as TCurrentTenant["logo"] }
    : await db.tenant.findUnique({ where: { id: actor.tenantId }, select: { id: true, slug: true, name: true, logo: true } });
  if (!tenant) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Tenant not found." });
  return {
    ...tenant,
    me: {
      userId: actor.userId,
      membershipId: actor.membershipId,
      roles: [...actor.roles],
      hasFullAccess: actor.hasFullAccess,
      permissions: [...actor.permissions].sort(),
    },
  };
}
