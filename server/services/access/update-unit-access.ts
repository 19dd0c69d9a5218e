/**
 * Sets a member's role, permission values and staff id at a unit, all-or-nothing. Rights not listed keep their
 * values. Refused (nothing written) when: the member is the last owner and the change would strip them (409,
 * checked first); the caller does not outrank the member (unless an owner); the role is above what the caller may
 * assign; or any value that changes would end above what the caller itself holds there (403 naming the permission).
 * The locks, one read (batch.ts), then the update with its audit row: two statements inside the transaction.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { TYPE_VALUES, type RightValue } from "../../authz/catalog.ts";
import { effectiveValues, isEditable, mayAssignRole, valueWithin, type MemberAccess } from "../../authz/effective.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import { auditInsert } from "../../audit/record-sql.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZUpdateUnitAccessInput, type TUnitAccess, type TUpdateUnitAccessInput } from "./access.schema.ts";
import { callerAccessAt, grantOf, lockMemberOfUser, readBatch, roleIdsOf, roleLite, roleResolver } from "./batch.ts";
import { ceilingOf, denied, describeAccess, notFound, outranks, unitRights } from "./scope.ts";
import { validateValues } from "./validate-values.ts";

const same = (a: RightValue | undefined, b: RightValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function updateUnitAccess(db: Db, actor: Actor, input: TUpdateUnitAccessInput): Promise<TUnitAccess> {
  const data = parseInput(ZUpdateUnitAccessInput, input);
  // Outside the transaction: a model read inside one is never shared (it may not commit); cached, it costs nothing.
  const model = await tenantModel(db, actor.tenantId, actor.accessVersion);
  const catalog = model.catalog;
  const values = validateValues(catalog, data.permissions, "permissions", { unitScoped: true });
  return db.$transaction(async (tx) => {
    await lockMemberOfUser(tx, actor.tenantId, data.userId);
    const snap = await readBatch(tx, actor, { sourceUnitId: data.unitId, userId: data.userId, unitIds: [data.unitId], kind: data.kind });
    const unit = snap.source;
    if (!unit) throw notFound("Unit");
    const member = snap.member;
    if (!member) throw notFound("User");
    if (snap.lastOwner) {
      const strips =
        (data.role !== undefined && !isOwnerRole(data.role)) ||
        values.some((v) => !valueWithin(v.def.type, TYPE_VALUES[v.def.type].allAccess, v.value));
      if (strips) throw lastOwnerError();
    }
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.update");
    const row = snap.src;
    if (!row) throw notFound("User");
    const roleById = await roleResolver(tx, actor.tenantId, model)(roleIdsOf(snap));
    const target: MemberAccess = { hasFullAccess: member.hasFullAccess, tenantRoles: member.roleIds.map((id) => roleLite(roleById(id))), unit: grantOf(row, roleById) };
    const ceiling = ceilingOf(await callerAccessAt(tx, actor, snap, unit.id, roleById), catalog);
    if (!ceiling.reaches || !outranks(ceiling, target)) throw denied();

    const current = roleById(row.roleId);
    let role = { id: row.roleId, lite: roleLite(current) };
    if (data.role !== undefined && data.role !== current.slug) {
      const found = model.roleBySlug.get(data.role);
      if (!found) {
        throw new AppError(AppErrorCode.UNPROCESSABLE, {
          userMessage: `Invalid role: unknown role "${data.role}"`, issues: [{ path: "role", message: `unknown role "${data.role}"` }],
        });
      }
      if (!mayAssignRole(ceiling.isOwner, ceiling.rank, found)) {
        throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: `Access denied. You cannot assign the role: ${found.slug}` });
      }
      role = { id: found.id, lite: roleLite(found) };
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
    const now = new Date();
    const audit = auditInsert([{
      actor, tenantId: actor.tenantId, action: "member.unit_access_changed", targetType: "membership", targetId: member.id,
      before: { unitId: unit.id, role: current.slug, overrides: row.overrides, staffId: row.staffId },
      after: { unitId: unit.id, role: role.lite.slug, overrides, staffId },
    }], { now });
    await tx.$queryRaw`
      WITH upd AS (
        UPDATE "UnitAccess" SET "roleId" = ${role.id}, "overrides" = ${JSON.stringify(overrides)}::jsonb, "staffId" = ${staffId}::int, "updatedAt" = ${now}
         WHERE "id" = ${row.id} AND "tenantId" = ${actor.tenantId} RETURNING 1
      ), audit AS (${audit})
      SELECT (SELECT count(*)::int FROM upd) AS "updated"`;
    return describeAccess(actor, catalog, { unitId: unit.id, userId: member.userId, membershipId: member.id }, after, { staffId }, ceiling);
  });
}
