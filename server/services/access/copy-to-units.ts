/**
 * Copies an active member's role and permission values from one unit to many (seed 000's copy_to_companies):
 * not yet in a target → added as ACTIVE; already INVITED there → only role and permissions are updated (they must
 * still accept); already ACTIVE → role and permissions updated. Optional per-unit values override the copied ones.
 * One transaction: every target must be a unit of the tenant (else 404) within the caller's ceiling (else 403),
 * otherwise nothing is written. The last owner is never copied into less than an owner's access at a unit (a non-owner
 * role or a value below all-access: 409, checked before the permission, as update-unit-access does). A dry run
 * returns the same per-unit results and writes nothing.
 *
 * Set-based, whatever the number of targets: the locks, one read of everything (batch.ts), the checks and the plan in
 * memory, then one statement that inserts the new rows, updates the existing ones and writes the audit row.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { TYPE_VALUES, type RightDef, type RightValue } from "../../authz/catalog.ts";
import { effectiveValues, mayAssignRole, valueWithin, type MemberAccess } from "../../authz/effective.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import { auditInsert } from "../../audit/record-sql.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { lastOwnerError } from "../members/guards.ts";
import { parseInput } from "../parse.ts";
import { ZCopyToUnitsInput, type TBatchOutput, type TCopyToUnitsInput } from "./access.schema.ts";
import { accessRowKey, callerAccessAt, callerGrantKey, grantOf, lockMemberOfUser, readBatch, roleIdsOf, roleLite, roleResolver } from "./batch.ts";
import { ceilingOf, denied, notFound, outranks, unitRights, type Ceiling } from "./scope.ts";
import { uniqueUnitIds } from "./targets.ts";
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
  // Outside the transaction: a model read inside one is never shared (it may not commit); cached, it costs nothing.
  const model = await tenantModel(db, actor.tenantId, actor.accessVersion);
  const catalog = model.catalog;
  const rights = unitRights(catalog);
  const linkValues = data.links.map((l, i) => validateValues(catalog, l.permissions ?? [], `links[${i}].permissions`, { unitScoped: true }));
  return db.$transaction(async (tx) => {
    await lockMemberOfUser(tx, actor.tenantId, data.userId);
    const snap = await readBatch(tx, actor, { sourceUnitId: data.unitId, userId: data.userId, unitIds, kind: data.kind });
    if (!snap.source) throw notFound("Unit");
    const member = snap.member;
    if (!member) throw notFound("User");
    const role = await roleResolver(tx, actor.tenantId, model)(roleIdsOf(snap));
    const src = snap.src ? { ...snap.src, roleLite: roleLite(role(snap.src.roleId)) } : null;
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403), like every
    // other path that could strip an owner (issue 4); copying had no last-owner check of its own before issue 9.
    if (snap.lastOwner && src && stripsOwner(catalog, src, linkValues)) throw lastOwnerError();
    assertCan(actor, "members.update");
    if (!src) throw notFound("User");
    if (src.status !== "ACTIVE") throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Only an active user can be copied; this user has not accepted yet." });
    const missing = unitIds.find((id) => !snap.found.has(id));
    if (missing !== undefined) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `Unit ${missing} not found.` });
    const base: MemberAccess = { hasFullAccess: member.hasFullAccess, tenantRoles: member.roleIds.map((id) => roleLite(role(id))), unit: null };

    // Units where the caller holds the same thing share one ceiling (an owner's or full access: all of them), and
    // targets with the same ceiling and the same current grant pass or fail the same checks: 1,000 units are a
    // handful of distinct cases.
    const ceilings = new Map<string, Ceiling>();
    const passed = new Set<string>();
    const plan: { unitId: number; rowId: number | null; overrides: Record<string, RightValue>; result: "added" | "permissions_updated" }[] = [];
    for (const [i, link] of data.links.entries()) {
      const callerKey = callerGrantKey(actor, snap, link.unitId);
      let ceiling = ceilings.get(callerKey);
      if (!ceiling) {
        ceiling = ceilingOf(await callerAccessAt(tx, actor, snap, link.unitId, role), catalog);
        ceilings.set(callerKey, ceiling);
      }
      if (!ceiling.reaches) throw denied();
      const row = snap.existing.get(link.unitId);
      const overrides: Record<string, RightValue> = { ...src.overrides };
      for (const v of linkValues[i]!) overrides[v.def.slug] = v.value;
      const decision = linkValues[i]!.length === 0 ? `${callerKey}#${accessRowKey(row)}` : null;
      if (decision === null || !passed.has(decision)) {
        const before: MemberAccess = { ...base, unit: row ? grantOf(row, role) : null };
        if (!outranks(ceiling, before) || !mayAssignRole(ceiling.isOwner, ceiling.rank, src.roleLite)) throw denied();
        const after: MemberAccess = { ...base, unit: { role: src.roleLite, overrides, status: row?.status ?? "ACTIVE" } };
        const beforeVals = effectiveValues(rights, before);
        const afterVals = effectiveValues(rights, after);
        for (const def of rights) {
          if (same(beforeVals[def.slug], afterVals[def.slug])) continue;
          if (!valueWithin(def.type, afterVals[def.slug] ?? null, ceiling.values[def.slug] ?? null)) throw denied(def.slug);
        }
        if (decision !== null) passed.add(decision);
      }
      plan.push({ unitId: link.unitId, rowId: row?.id ?? null, overrides, result: row ? "permissions_updated" : "added" });
    }
    const results = plan.map((p) => ({ unitId: p.unitId, result: p.result }));
    if (data.dryRun) return { dryRun: true, results };

    const t = actor.tenantId;
    const now = new Date();
    const added = plan.filter((p) => p.rowId === null);
    const updated = plan.filter((p) => p.rowId !== null);
    const audit = auditInsert([{
      actor, tenantId: t, action: "member.copied_to_units", targetType: "membership", targetId: member.id,
      after: { fromUnitId: snap.source.id, role: src.roleLite.slug, results },
    }], { now });
    // Status of an existing row stays as it is: an invited user still has to accept. The member's row is locked, so
    // the plan's existing rows are the ones there.
    await tx.$queryRaw`
      WITH ins AS (
        INSERT INTO "UnitAccess" ("tenantId", "membershipId", "unitId", "roleId", "status", "overrides", "position", "information", "acceptedAt", "createdAt", "updatedAt")
        SELECT ${t}::int, ${member.id}::int, x.unit_id, ${src.roleId}::int, 'ACTIVE'::"UnitAccessStatus", x.overrides::jsonb,
               ${src.position}::text, ${src.information}::text, ${now}::timestamp(3), ${now}::timestamp(3), ${now}::timestamp(3)
          FROM unnest(${added.map((p) => p.unitId)}::int[], ${added.map((p) => JSON.stringify(p.overrides))}::text[]) AS x(unit_id, overrides)
        RETURNING 1
      ), upd AS (
        UPDATE "UnitAccess" a SET "roleId" = ${src.roleId}, "overrides" = x.overrides::jsonb, "updatedAt" = ${now}
          FROM unnest(${updated.map((p) => p.rowId!)}::int[], ${updated.map((p) => JSON.stringify(p.overrides))}::text[]) AS x(id, overrides)
         WHERE a."id" = x.id AND a."tenantId" = ${t} AND a."membershipId" = ${member.id}
        RETURNING 1
      ), audit AS (${audit})
      SELECT (SELECT count(*)::int FROM ins) AS "added", (SELECT count(*)::int FROM upd) AS "updated"`;
    return { dryRun: false, results };
  });
}
