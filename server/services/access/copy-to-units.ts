/**
 * Copies an active member's role and permission values from one unit to many (seed 000's copy_to_companies):
 * not yet in a target → added as ACTIVE; already INVITED there → only role and permissions are updated (they must
 * still accept); already ACTIVE → role and permissions updated. Optional per-unit values override the copied ones.
 * One transaction: every target must be a unit of the tenant (else 404) within the caller's ceiling (else 403),
 * otherwise nothing is written. A dry run returns the same per-unit results and writes nothing.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { RightValue } from "../../authz/catalog.ts";
import { effectiveValues, mayAssignRole, valueWithin, type MemberAccess } from "../../authz/effective.ts";
import { loadCatalog, toValues } from "../../authz/load.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZCopyToUnitsInput, type TBatchOutput, type TCopyToUnitsInput } from "./access.schema.ts";
import { ceilingAt, denied, findMembership, findUnit, findUnitAccessRow, loadTarget, notFound, outranks, unitRights } from "./scope.ts";
import { findTargetUnits, uniqueUnitIds } from "./targets.ts";
import { validateValues } from "./validate-values.ts";

const same = (a: RightValue | undefined, b: RightValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function copyToUnits(db: Db, actor: Actor, input: TCopyToUnitsInput): Promise<TBatchOutput> {
  assertCan(actor, "members.update");
  const data = parseInput(ZCopyToUnitsInput, input);
  const unitIds = uniqueUnitIds(data.links);
  const catalog = await loadCatalog(db, actor.tenantId);
  const rights = unitRights(catalog);
  const linkValues = data.links.map((l, i) => validateValues(catalog, l.permissions ?? [], `links[${i}].permissions`, { unitScoped: true }));
  return db.$transaction(async (tx) => {
    const source = await findUnit(tx, actor, data.unitId, data.kind);
    const member = await findMembership(tx, actor, data.userId);
    const src = await findUnitAccessRow(tx, actor, member.id, source.id);
    if (!src) throw notFound("User");
    if (src.status !== "ACTIVE") throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Only an active user can be copied; this user has not accepted yet." });
    await findTargetUnits(tx, actor, unitIds, data.kind);
    const base = await loadTarget(tx, actor, member.id, source.id);
    const existing = await tx.unitAccess.findMany({
      where: { tenantId: actor.tenantId, membershipId: member.id, unitId: { in: unitIds } },
      select: { id: true, unitId: true, status: true, overrides: true, role: { select: { slug: true, weight: true, defaults: true } } },
    });
    const byUnit = new Map(existing.map((r) => [r.unitId, r]));

    const plan: { unitId: number; rowId: number | null; overrides: Record<string, RightValue>; result: "added" | "permissions_updated" }[] = [];
    for (const [i, link] of data.links.entries()) {
      const ceiling = await ceilingAt(tx, actor, link.unitId, catalog);
      if (!ceiling.reaches) throw denied();
      const row = byUnit.get(link.unitId);
      const before: MemberAccess = {
        ...base,
        unit: row ? { role: { slug: row.role.slug, weight: row.role.weight, defaults: toValues(row.role.defaults) }, overrides: toValues(row.overrides), status: row.status } : null,
      };
      if (!outranks(ceiling, before) || !mayAssignRole(ceiling.isOwner, ceiling.rank, src.roleLite)) throw denied();
      const overrides: Record<string, RightValue> = { ...src.overrides };
      for (const v of linkValues[i]!) overrides[v.def.slug] = v.value;
      const after: MemberAccess = { ...base, unit: { role: src.roleLite, overrides, status: row?.status ?? "ACTIVE" } };
      const beforeVals = effectiveValues(rights, before);
      const afterVals = effectiveValues(rights, after);
      for (const def of rights) {
        if (same(beforeVals[def.slug], afterVals[def.slug])) continue;
        if (!valueWithin(def.type, afterVals[def.slug] ?? null, ceiling.values[def.slug] ?? null)) throw denied(def.slug);
      }
      plan.push({ unitId: link.unitId, rowId: row?.id ?? null, overrides, result: row ? "permissions_updated" : "added" });
    }
    const results = plan.map((p) => ({ unitId: p.unitId, result: p.result }));
    if (data.dryRun) return { dryRun: true, results };

    const now = new Date();
    const added = plan.filter((p) => p.rowId === null);
    if (added.length) {
      await tx.unitAccess.createMany({
        data: added.map((p) => ({
          tenantId: actor.tenantId, membershipId: member.id, unitId: p.unitId, roleId: src.roleId, status: "ACTIVE" as const,
          overrides: p.overrides, position: src.position, information: src.information, acceptedAt: now,
        })),
      });
    }
    for (const p of plan) {
      // Status stays as it is: an invited user still has to accept.
      if (p.rowId !== null) await tx.unitAccess.update({ where: { id: p.rowId }, data: { roleId: src.roleId, overrides: p.overrides } });
    }
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.copied_to_units", targetType: "membership", targetId: member.id,
      after: { fromUnitId: source.id, role: src.roleLite.slug, results },
    });
    return { dryRun: false, results };
  });
}
