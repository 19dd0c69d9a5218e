/**
 * The tenant's roles with their permission tree (rights grouped by category, each with the role's default value and
 * whether the caller may grant it). With a unit, `isEditable` uses the caller's ceiling there; with a user too, it
 * also needs the caller to be allowed to change that user and the user's current value to be within the caller's.
 */
import { assertCan, can, type Actor } from "../../authz/actor.ts";
import { TYPE_VALUES, type RightDef, type RightValue } from "../../authz/catalog.ts";
import { effectiveValues, isNoAccess, valueWithin, type MemberAccess } from "../../authz/effective.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import { loadCatalog, toValues } from "../../authz/load.ts";
import type { Db } from "../../db/client.ts";
import { callerAccessAt, grantOf, readBatch, roleIdsOf, roleLite, roleResolver } from "../access/batch.ts";
import { ceilingOf, notFound, outranks, unitRights } from "../access/scope.ts";
import { parseInput } from "../parse.ts";
import { tenantCeiling } from "./ceiling.ts";
import { ZListRolesInput, type TListRolesInput, type TPermissionNode, type TRoleOut } from "./roles.schema.ts";

const ENTITY_NAMES: Record<string, string> = { master_id: "master", position_id: "position" };
const titleOf = (category: string) => category.charAt(0).toUpperCase() + category.slice(1).replace(/_/g, " ");

function node(def: RightDef, value: RightValue, editable: boolean, callerValue: RightValue): TPermissionNode {
  const tv = TYPE_VALUES[def.type];
  const options =
    def.type === "INTEGER"
      ? [{ title: "Unlimited", value: -1, isDisabled: !editable || !valueWithin(def.type, -1, callerValue) }]
      : def.type === "ENTITY_ID"
        ? [{ title: "All", value: 0, isDisabled: !editable || !valueWithin(def.type, 0, callerValue) }]
        : [];
  return {
    slug: def.slug, title: def.title, hint: def.description, category: def.category, rightType: def.type,
    isRecommended: !isNoAccess(def.type, value), isEditable: editable, defaultValue: value, entityName: ENTITY_NAMES[def.slug] ?? null,
    children: [], options, type: { slug: tv.wireSlug, allAccessValue: tv.allAccess, noAccessValue: tv.noAccess },
  };
}

export async function listRoles(db: Db, actor: Actor, input: TListRolesInput = {}): Promise<TRoleOut[]> {
  assertCan(actor, "members.read");
  const data = parseInput(ZListRolesInput, input);
  const fullCatalog = await loadCatalog(db, actor);
  const catalog = data.scope === "unit" ? unitRights(fullCatalog) : fullCatalog;

  let callerValues: Record<string, RightValue>;
  let targetValues: Record<string, RightValue> | null = null;
  let mayChangeTarget = true;
  const rolesQuery = db.role.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: [{ weight: "desc" }, { slug: "asc" }],
    select: { id: true, slug: true, title: true, description: true, weight: true, builtIn: true, defaults: true, _count: { select: { membershipRoles: true, unitAccess: true } } },
  });
  if (data.unitId !== undefined) {
    // One read for the unit, the caller's access there and the user's (batch.ts); the roles with their usage are a second.
    const [snap, model] = await Promise.all([
      readBatch(db, actor, { sourceUnitId: data.unitId, userId: data.userId ?? 0, unitIds: [data.unitId], kind: data.kind }),
      tenantModel(db, actor.tenantId, actor.accessVersion),
    ]);
    if (!snap.source) throw notFound("Unit");
    const role = await roleResolver(db, actor.tenantId, model)(roleIdsOf(snap));
    const ceiling = ceilingOf(await callerAccessAt(db, actor, snap, snap.source.id, role), catalog);
    callerValues = ceiling.values;
    if (data.userId !== undefined) {
      const member = snap.member;
      if (!member) throw notFound("User");
      const target: MemberAccess = {
        hasFullAccess: member.hasFullAccess, tenantRoles: member.roleIds.map((id) => roleLite(role(id))), unit: snap.src ? grantOf(snap.src, role) : null,
      };
      targetValues = effectiveValues(catalog, target);
      mayChangeTarget = can(actor, "members.update") && ceiling.reaches && outranks(ceiling, target);
    }
  } else {
    callerValues = (await tenantCeiling(db, actor, catalog)).values;
  }

  const roles = await rolesQuery;
  return roles.map((r) => {
    const base = { id: r.id, slug: r.slug, title: r.title, description: r.description, weight: r.weight, builtIn: r.builtIn, usage: r._count.membershipRoles + r._count.unitAccess };
    if (!data.includePermissions) return base;
    const defaults = toValues(r.defaults);
    const values = effectiveValues(catalog, { hasFullAccess: false, tenantRoles: [{ slug: r.slug, weight: r.weight, defaults }], unit: { role: { slug: r.slug, weight: r.weight, defaults }, overrides: {}, status: "ACTIVE" } });
    const groups = new Map<string, TPermissionNode[]>();
    for (const def of catalog) {
      const mine = callerValues[def.slug] ?? null;
      const value = values[def.slug] ?? null;
      let editable = !isNoAccess(def.type, mine) && valueWithin(def.type, value, mine);
      if (targetValues) editable = editable && mayChangeTarget && valueWithin(def.type, targetValues[def.slug] ?? null, mine);
      const list = groups.get(def.category) ?? [];
      list.push(node(def, value, editable, mine));
      groups.set(def.category, list);
    }
    const permissions: TPermissionNode[] = [...groups].map(([category, children]) => ({
      slug: category, title: titleOf(category), hint: "", category, rightType: "GROUP", isRecommended: children.some((c) => c.isRecommended),
      isEditable: children.some((c) => c.isEditable), defaultValue: null, entityName: null, children, options: [],
      type: { slug: "has_group_access", allAccessValue: true, noAccessValue: false },
    }));
    return { ...base, permissions };
  });
}
