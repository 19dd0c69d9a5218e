/**
 * A unit's users (seed 000 #1 and #11): members with access there plus full-access members (who reach every unit
 * without a row, shown as approved), with their effective unit-right values. Suspended members are left out.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { effectiveValues } from "../../authz/effective.ts";
import { loadCatalog, toRoleLite, toValues } from "../../authz/load.ts";
import { displayNameOf } from "../../auth/credentials.ts";
import type { Db } from "../../db/client.ts";
import { OWNER_ROLE } from "../../authz/roles.ts";
import { findUnit, unitRights } from "../access/scope.ts";
import { parseInput } from "../parse.ts";
import { ZListUnitUsersInput, type TListUnitUsersInput, type TUnitUser } from "./units.schema.ts";

const ROLE = { slug: true, weight: true, defaults: true } as const;

export async function listUnitUsers(db: Db, actor: Actor, input: TListUnitUsersInput): Promise<TUnitUser[]> {
  assertCan(actor, "members.read");
  const data = parseInput(ZListUnitUsersInput, input);
  const unit = await findUnit(db, actor, data.unitId, data.kind);
  const [catalog, members, owners] = await Promise.all([
    loadCatalog(db, actor).then(unitRights),
    db.membership.findMany({
      where: { tenantId: actor.tenantId, status: "ACTIVE", OR: [{ hasFullAccess: true }, { unitAccess: { some: { unitId: unit.id } } }] },
      orderBy: { id: "asc" },
      select: {
        id: true, hasFullAccess: true,
        user: { select: { id: true, email: true, phone: true, firstName: true, lastName: true, displayName: true } },
        roles: { select: { role: { select: ROLE } } },
        unitAccess: { where: { unitId: unit.id }, select: { status: true, overrides: true, information: true, position: true, role: { select: ROLE } } },
      },
    }),
    // A read needs no lock: the same rows lockActiveOwners locks on write paths.
    db.membership.findMany({ where: { tenantId: actor.tenantId, status: "ACTIVE", roles: { some: { role: { slug: OWNER_ROLE } } } }, select: { id: true } }),
  ]);
  const lastOwner = owners.length === 1 ? owners[0]!.id : undefined;
  const out: TUnitUser[] = [];
  for (const m of members) {
    const ua = m.unitAccess[0];
    const isApproved = m.hasFullAccess || ua?.status === "ACTIVE";
    if (data.approved !== undefined && data.approved !== isApproved) continue;
    const access = {
      hasFullAccess: m.hasFullAccess,
      tenantRoles: m.roles.map((r) => toRoleLite(r.role)),
      unit: ua ? { role: toRoleLite(ua.role), overrides: toValues(ua.overrides), status: ua.status } : null,
    };
    out.push({
      userId: m.user.id, membershipId: m.id, name: displayNameOf(m.user), firstName: m.user.firstName, email: m.user.email, phone: m.user.phone,
      information: ua?.information ?? null, position: ua?.position ?? null, role: ua?.role.slug ?? null, hasFullAccess: m.hasFullAccess,
      isApproved, isNonDeletable: m.id === lastOwner, values: effectiveValues(catalog, access),
    });
  }
  return out;
}
