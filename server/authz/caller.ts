/**
 * The acting side of the grant ceiling: what the actor itself holds at a unit, whoever it is.
 * - a person (session, user token, personal token): their own membership's access;
 * - the system (CLI, seeding): an owner with full access;
 * - a partner token acting alone (no user): an integration ranks as an administrator (below owner, so it can never
 *   make or touch owners), further limited by its scopes in assertCan.
 */
import type { Db, Tx } from "../db/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { BUSINESS_RIGHTS, TYPE_VALUES, type RightValue } from "./catalog.ts";
import type { MemberAccess, RoleLite } from "./effective.ts";
import { loadMemberAccess } from "./load.ts";
import { OWNER_ROLE } from "./roles.ts";

const PARTNER_ROLE: RoleLite = {
  slug: "partner",
  weight: 80,
  defaults: Object.fromEntries(BUSINESS_RIGHTS.map((r) => [r.slug, TYPE_VALUES[r.type].allAccess as RightValue])),
};
const SYSTEM_ROLE: RoleLite = { slug: OWNER_ROLE, weight: 100, defaults: {} };

export async function callerAccess(db: Db | Tx, actor: Actor, unitId: number | null): Promise<MemberAccess> {
  if (actor.kind === "system") return { hasFullAccess: true, tenantRoles: [SYSTEM_ROLE], unit: null };
  if (actor.membershipId === null) {
    return { hasFullAccess: false, tenantRoles: [PARTNER_ROLE], unit: unitId === null ? null : { role: PARTNER_ROLE, overrides: {}, status: "ACTIVE" } };
  }
  // At tenant level the actor already carries what it holds (loaded in the request's context statement).
  if (unitId === null && actor.tenantRoles) return { hasFullAccess: actor.hasFullAccess, tenantRoles: actor.tenantRoles, unit: null };
  const access = await loadMemberAccess(db, actor.tenantId, actor.membershipId, unitId);
  // The actor was loaded moments ago; a vanished membership means it was removed mid-request.
  if (!access) throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied." });
  return access;
}
