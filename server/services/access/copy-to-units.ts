/**
 * Copies an active member's role and permission values from one unit to many (seed 000's copy_to_companies):
 * not yet in a target → added as ACTIVE; already INVITED there → only role and permissions are updated (they must
 * still accept); already ACTIVE → role and permissions updated. Optional per-unit values override the copied ones.
 * One transaction: every target must be a unit of the tenant (else 404) within the caller's ceiling (else 403),
 * otherwise nothing is written. The last owner is never copied into less than an owner's access at a unit (a non-owner
 * role or a value below all-access: 409, checked before the permission, as update-unit-access does). A dry run
 * returns the same per-unit results and writes nothing.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { TYPE_VALUES, type RightDef, type RightValue } from "../../authz/catalog.ts";
import { effectiveValues, mayAssignRole, valueWithin, type MemberAccess } from "../../authz/effective.ts";
import { loadCatalog, toValues } from "../../authz/load.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZCopyToUnitsInput, type TBatchOutput, type TCopyToUnitsInput } from "./access.schema.ts";
import {
  ceilingAt, denied, findMembership, findUnit, findUnitAccessRow, isLastOwner, loadTarget, lockMembership, notFound, outranks, unitRights,
} from "./scope.ts";
import { findTargetUnits, uniqueUnitIds } from "./targets.ts";
import { validateValues, type ValidatedValue } from "./validate-values.ts";

const same = (a: RightValue | undefined, b: RightValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Whether the copy would give the member less than an owner's access at a target: a role other than owner, or a
 * copied or given value below all-access (the same test update-unit-access applies to the last owner).
 */
function stripsOwner(catalog: readonly RightDef[], src: { roleLite: { slug: string }; overrides: Record<string, RightValue> }, linkValues: ValidatedValue[][]): boolean {
  if (!isOwnerRole(src.roleLite.slug)) return true;
  const types = new Map(catalog.map((d) => [d.slug, d.type]));
  const below = (slug: string, value: RightValue) => {
    const type = types.get(slug);
    return type !== undefined && !valueWithin(type, TYPE_VALUES[type].allAccess, value);
  };
  return Object.entries(src.overrides).some(([slug, v]) => below(slug, v)) || linkValues.some((vs) => vs.some((v) => below(v.def.slug, v.value)));
}

export async function copyToUnits(db: Db, actor: Actor, input: TCopyToUnitsInput): Promise<TBatchOutput> {
  const data = parseInput(ZCopyToUnitsInput, input);
  const unitIds = uniqueUnitIds(data.links);
  const catalog = await loadCatalog(db, actor);
  const rights = unitRights(catalog);
  const linkValues = data.links.map((l, i) => validateValues(catalog, l.permissions ?? [], `links[${i}].permissions`, { unitScoped: true }));
  return db.$transaction(async (tx) => {
    const source = await findUnit(tx, actor, data.unitId, data.kind);
    const member = await findMembership(tx, actor, data.userId);
    const lastOwner = await isLastOwner(tx, actor.tenantId, member.id);
    await lockMembership(tx, actor.tenantId, member.id);
    const src = await findUnitAccessRow(tx, actor, member.id, source.id);
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403), like every
    // other path that could strip an owner (issue 4); copying had no last-owner check of its own before issue 9.
    if (lastOwner && src && stripsOwner(catalog, src, linkValues)) throw lastOwnerError();
    assertCan(actor, "members.update");
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
