/**
 * Removes a member from many units at once (seed 000's remove_from_companies), all-or-nothing: every target must be
 * a unit of the tenant (404) within the caller's rights (403); the last owner is never removed (409, checked first).
 * Per unit: "removed" or "not_a_member". A dry run returns the same results and writes nothing.
 *
 * Set-based, whatever the number of targets: the locks, one read of everything (batch.ts), the checks in memory,
 * then one statement that deletes the rows and writes the audit row.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import { auditInsert } from "../../audit/record-sql.ts";
import type { Db } from "../../db/client.ts";
import { intArray } from "../../db/sql.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZRemoveFromUnitsInput, type TBatchOutput, type TRemoveFromUnitsInput } from "./access.schema.ts";
import { callerAccessAt, callerGrantKey, grantOf, lockMemberOfUser, readBatch, roleIdsOf, roleLite, roleResolver } from "./batch.ts";
import { ceilingOf, denied, notFound, outranks, type Ceiling } from "./scope.ts";
import { uniqueUnitIds } from "./targets.ts";

export async function removeFromUnits(db: Db, actor: Actor, input: TRemoveFromUnitsInput): Promise<TBatchOutput> {
  const data = parseInput(ZRemoveFromUnitsInput, input);
  const unitIds = uniqueUnitIds(data.links);
  // Outside the transaction: a model read inside one is never shared (it may not commit); cached, it costs nothing.
  const model = await tenantModel(db, actor.tenantId, actor.accessVersion);
  return db.$transaction(async (tx) => {
    await lockMemberOfUser(tx, actor.tenantId, data.userId);
    const snap = await readBatch(tx, actor, { sourceUnitId: data.unitId, userId: data.userId, unitIds, kind: data.kind });
    if (!snap.source) throw notFound("Unit");
    const member = snap.member;
    if (!member) throw notFound("User");
    if (snap.lastOwner) throw lastOwnerError();
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.remove");
    const missing = unitIds.find((id) => !snap.found.has(id));
    if (missing !== undefined) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `Unit ${missing} not found.` });
    const role = await roleResolver(tx, actor.tenantId, model)(roleIdsOf(snap));
    const base = { hasFullAccess: member.hasFullAccess, tenantRoles: member.roleIds.map((id) => roleLite(role(id))) };
    // Units where the caller holds the same thing share one ceiling, and a target's rank depends only on its role
    // and status there: 1,000 units are a handful of distinct checks.
    const ceilings = new Map<string, Ceiling>();
    const passed = new Set<string>();
    for (const unitId of unitIds) {
      const key = callerGrantKey(actor, snap, unitId);
      const row = snap.existing.get(unitId);
      const decision = `${key}#${row ? `${row.roleId}|${row.status}` : "-"}`;
      if (passed.has(decision)) continue;
      let ceiling = ceilings.get(key);
      if (!ceiling) {
        ceiling = ceilingOf(await callerAccessAt(tx, actor, snap, unitId, role), []);
        ceilings.set(key, ceiling);
      }
      const target = { ...base, unit: row ? grantOf(row, role) : null };
      if (!ceiling.reaches || !outranks(ceiling, target)) throw denied();
      passed.add(decision);
    }
    const results = unitIds.map((unitId) => ({ unitId, result: snap.existing.has(unitId) ? ("removed" as const) : ("not_a_member" as const) }));
    if (data.dryRun) return { dryRun: true, results };
    const rows = unitIds.flatMap((unitId) => snap.existing.get(unitId) ?? []);
    const t = actor.tenantId;
    // The audit row names every unit: the ones removed, grouped by the role and status they had there, and the ones
    // the member was not at. Built here (JSON in JavaScript costs a fraction of building it row by row in SQL).
    const removed = new Map<string, { role: string; status: string; unitIds: number[] }>();
    for (const r of rows) {
      const key = `${r.roleId}|${r.status}`;
      let group = removed.get(key);
      if (!group) removed.set(key, (group = { role: role(r.roleId).slug, status: r.status, unitIds: [] }));
      group.unitIds.push(r.unitId);
    }
    const audit = auditInsert([{
      actor, tenantId: t, action: "member.removed_from_units", targetType: "membership", targetId: member.id,
      before: { units: [...removed.values()] },
      after: { notAMember: results.filter((r) => r.result === "not_a_member").map((r) => r.unitId) },
    }]);
    // By primary key only: these are the rows the read found for this member, whose membership row we hold locked
    // (every access change locks it first). With the member in the condition, plans walked the member's rows and
    // compared each with all 1,000 ids.
    await tx.$queryRaw`
      WITH del AS (
        DELETE FROM "UnitAccess" WHERE "tenantId" = ${t} AND "id" = ANY((SELECT ${intArray(rows.map((r) => r.id))})::int[])
        RETURNING 1
      ), audit AS (${audit})
      SELECT (SELECT count(*)::int FROM del) AS "removed"`;
    return { dryRun: false, results };
  });
}
