/**
 * Sets a member's role, permission values and staff id at a unit, all-or-nothing. Rights not listed keep their
 * values. Refused (nothing written) when: the member is the last owner and the change would strip them (409,
 * checked first); the caller does not outrank the member (unless an owner); the role is above what the caller may
 * assign; or any value that changes would end above what the caller itself holds there (403 naming the permission).
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { TYPE_VALUES, type RightValue } from "../../authz/catalog.ts";
import { effectiveValues, isEditable, mayAssignRole, valueWithin, type MemberAccess } from "../../authz/effective.ts";
import { loadCatalog, toRoleLite } from "../../authz/load.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZUpdateUnitAccessInput, type TUnitAccess, type TUpdateUnitAccessInput } from "./access.schema.ts";
import {
  ceilingAt, denied, describeAccess, findMembership, findUnit, findUnitAccessRow, isLastOwner, loadTarget, lockMembership, notFound, outranks,
  unitRights,
} from "./scope.ts";
import { validateValues } from "./validate-values.ts";

const same = (a: RightValue | undefined, b: RightValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function updateUnitAccess(db: Db, actor: Actor, input: TUpdateUnitAccessInput): Promise<TUnitAccess> {
  const data = parseInput(ZUpdateUnitAccessInput, input);
  const catalog = await loadCatalog(db, actor);
  const values = validateValues(catalog, data.permissions, "permissions", { unitScoped: true });
  return db.$transaction(async (tx) => {
    const unit = await findUnit(tx, actor, data.unitId, data.kind);
    const member = await findMembership(tx, actor, data.userId);
    if (await isLastOwner(tx, actor.tenantId, member.id)) {
      const strips =
        (data.role !== undefined && !isOwnerRole(data.role)) ||
        values.some((v) => !valueWithin(v.def.type, TYPE_VALUES[v.def.type].allAccess, v.value));
      if (strips) throw lastOwnerError();
    }
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.update");
    await lockMembership(tx, actor.tenantId, member.id);
    const row = await findUnitAccessRow(tx, actor, member.id, unit.id);
    if (!row) throw notFound("User");
    const target = await loadTarget(tx, actor, member.id, unit.id);
    const ceiling = await ceilingAt(tx, actor, unit.id, catalog);
    if (!ceiling.reaches || !outranks(ceiling, target)) throw denied();

    let role = { id: row.roleId, lite: row.roleLite };
    if (data.role !== undefined && data.role !== row.roleLite.slug) {
      const found = await tx.role.findUnique({
        where: { tenantId_slug: { tenantId: actor.tenantId, slug: data.role } },
        select: { id: true, slug: true, weight: true, defaults: true },
      });
      if (!found) {
        throw new AppError(AppErrorCode.UNPROCESSABLE, {
          userMessage: `Invalid role: unknown role "${data.role}"`, issues: [{ path: "role", message: `unknown role "${data.role}"` }],
        });
      }
      if (!mayAssignRole(ceiling.isOwner, ceiling.rank, found)) {
        throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: `Access denied. You cannot assign the role: ${found.slug}` });
      }
      role = { id: found.id, lite: toRoleLite(found) };
    }

    const overrides: Record<string, RightValue> = { ...row.overrides };
    for (const v of values) overrides[v.def.slug] = v.value;
    const after: MemberAccess = { ...target, unit: { role: role.lite, overrides, status: row.status } };
    const rights = unitRights(catalog);
    const beforeVals = effectiveValues(rights, target);
    const afterVals = effectiveValues(rights, after);
    for (const v of values) {
      const mine = ceiling.values[v.def.slug] ?? null;
      // Sending a value back unchanged is allowed (clients PUT the whole list they read).
      if (same(v.value, beforeVals[v.def.slug])) continue;
      if (!isEditable(v.def, mine, beforeVals[v.def.slug] ?? null) || !valueWithin(v.def.type, v.value, mine)) throw denied(v.def.slug);
    }
    for (const def of rights) {
      if (same(beforeVals[def.slug], afterVals[def.slug])) continue;
      if (!valueWithin(def.type, afterVals[def.slug] ?? null, ceiling.values[def.slug] ?? null)) throw denied(def.slug);
    }

    const staffId = data.staffId === undefined ? row.staffId : data.staffId;
    await tx.unitAccess.update({ where: { id: row.id }, data: { roleId: role.id, overrides, staffId } });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.unit_access_changed", targetType: "membership", targetId: member.id,
      before: { unitId: unit.id, role: row.roleLite.slug, overrides: row.overrides, staffId: row.staffId },
      after: { unitId: unit.id, role: role.lite.slug, overrides, staffId },
    });
    return describeAccess(actor, catalog, { unitId: unit.id, userId: member.userId, membershipId: member.id }, after, { staffId }, ceiling);
  });
}
