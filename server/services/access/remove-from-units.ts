/**
 * Removes a member from many units at once (seed 000's remove_from_companies), all-or-nothing: every target must be
 * a unit of the tenant (404) within the caller's rights (403); the last owner is never removed (409, checked first).
 * Per unit: "removed" or "not_a_member". A dry run returns the same results and writes nothing.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { toRoleLite, toValues } from "../../authz/load.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZRemoveFromUnitsInput, type TBatchOutput, type TRemoveFromUnitsInput } from "./access.schema.ts";
import { ceilingAt, denied, findMembership, findUnit, isLastOwner, loadTarget, lockMembership, outranks } from "./scope.ts";
import { findTargetUnits, uniqueUnitIds } from "./targets.ts";

export async function removeFromUnits(db: Db, actor: Actor, input: TRemoveFromUnitsInput): Promise<TBatchOutput> {
  const data = parseInput(ZRemoveFromUnitsInput, input);
  const unitIds = uniqueUnitIds(data.links);
  return db.$transaction(async (tx) => {
    await findUnit(tx, actor, data.unitId, data.kind);
    const member = await findMembership(tx, actor, data.userId);
    if (await isLastOwner(tx, actor.tenantId, member.id)) throw lastOwnerError();
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.remove");
    await lockMembership(tx, actor.tenantId, member.id);
    await findTargetUnits(tx, actor, unitIds, data.kind);
    const base = await loadTarget(tx, actor, member.id, data.unitId);
    const rows = await tx.unitAccess.findMany({
      where: { tenantId: actor.tenantId, membershipId: member.id, unitId: { in: unitIds } },
      select: { id: true, unitId: true, status: true, overrides: true, role: { select: { slug: true, weight: true, defaults: true } } },
    });
    const byUnit = new Map(rows.map((r) => [r.unitId, r]));
    for (const unitId of unitIds) {
      const ceiling = await ceilingAt(tx, actor, unitId, []);
      const row = byUnit.get(unitId);
      const target = { ...base, unit: row ? { role: toRoleLite(row.role), overrides: toValues(row.overrides), status: row.status } : null };
      if (!ceiling.reaches || !outranks(ceiling, target)) throw denied();
    }
    const results = unitIds.map((unitId) => ({ unitId, result: byUnit.has(unitId) ? ("removed" as const) : ("not_a_member" as const) }));
    if (data.dryRun) return { dryRun: true, results };
    if (rows.length) await tx.unitAccess.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.removed_from_units", targetType: "membership", targetId: member.id,
      before: { units: rows.map((r) => ({ unitId: r.unitId, role: r.role.slug, status: r.status })) },
      after: { results },
    });
    return { dryRun: false, results };
  });
}
