/**
 * Sets a member's tenant roles and full access. Refusals, in order: the last owner losing the owner role or full
 * access (CONFLICT, whoever asks, the owner included); a target at or above the caller's rank, a role above the
 * caller's ceiling, or full access granted by a caller without it (FORBIDDEN).
 *
 * Two statements inside the transaction: the locks with the member's read, then every write (roles out, roles in,
 * full access, the audit rows) in one statement whose guard is the last-owner rule (guards.ts). Role definitions come
 * from the tenant's cached model; the returned member is the one read, with the change applied, not read again.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import { auditInsert, type TenantAuditEventInput } from "../../audit/record-sql.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { lastOwnerError, lastOwnerSql, refusingLastOwnerFirst } from "./guards.ts";
import { accessDenied, authorityOf, lockAndFindMemberRow, memberNotFound, toMember, type MemberRow } from "./member-record.ts";
import { ZSetMemberRolesInput, type TMember, type TSetMemberRolesInput } from "./members.schema.ts";

export async function setMemberRoles(db: Db, actor: Actor, input: TSetMemberRolesInput): Promise<TMember> {
  const data = parseInput(ZSetMemberRolesInput, input);
  const wanted = [...new Set(data.roles)];
  // Outside the transaction: a model read inside one is never shared (it may not commit); cached, it costs nothing.
  const model = await tenantModel(db, actor.tenantId, actor.accessVersion);
  return db.$transaction(async (tx) => {
    const row = await lockAndFindMemberRow(tx, actor.tenantId, { id: data.id });
    const current = row.roles.map((r) => r.role.slug);
    const wasOwner = current.some(isOwnerRole);
    const staysOwner = wanted.some(isOwnerRole);
    const strips = wasOwner && (!staysOwner || (row.hasFullAccess && !data.hasFullAccess));
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    const roles = await refusingLastOwnerFirst(tx, actor.tenantId, row.id, strips, async () => {
      assertCan(actor, "members.update");
      // Changing someone's roles (and so making or unmaking owners) needs a recent password or code (cookie sessions).
      assertRecentAuth(actor);
      const unknown = wanted.findIndex((slug) => !model.roleBySlug.has(slug));
      if (unknown >= 0) {
        const path = `roles[${data.roles.indexOf(wanted[unknown]!)}]`;
        throw new AppError(AppErrorCode.UNPROCESSABLE, {
          userMessage: `Invalid ${path}: no role "${wanted[unknown]}" in this tenant`,
          issues: [{ path, message: `no role "${wanted[unknown]}" in this tenant` }],
        });
      }
      const roles = wanted.map((slug) => model.roleBySlug.get(slug)!);
      const authority = await authorityOf(tx, actor);
      if (!authority.outranks(row)) throw accessDenied();
      for (const role of [...roles.filter((r) => !current.includes(r.slug)), ...row.roles.filter((r) => !wanted.includes(r.role.slug)).map((r) => r.role)]) {
        if (!authority.mayAssign(role)) throw accessDenied(`Access denied. You cannot assign or remove the role "${role.slug}".`);
      }
      if (data.hasFullAccess !== row.hasFullAccess && !authority.access.hasFullAccess) {
        throw accessDenied("Access denied. Only a member with full access can change full access.");
      }
      return roles;
    });

    const added = roles.filter((r) => !current.includes(r.slug));
    const removed = row.roles.filter((r) => !wanted.includes(r.role.slug)).map((r) => r.role);
    const rolesChanged = added.length > 0 || removed.length > 0;
    const fullAccessChanged = data.hasFullAccess !== row.hasFullAccess;
    if (!rolesChanged && !fullAccessChanged) return toMember(row);

    const after: MemberRow = {
      ...row,
      hasFullAccess: data.hasFullAccess,
      roles: [
        ...row.roles.filter((r) => wanted.includes(r.role.slug)),
        ...added.map((r) => ({ role: { id: r.id, slug: r.slug, title: r.title, weight: r.weight, defaults: r.defaults } })),
      ],
    };
    const updated = toMember(after);
    const base = { actor, tenantId: actor.tenantId, targetType: "membership", targetId: row.id } as const;
    const events: TenantAuditEventInput[] = [];
    if (rolesChanged) events.push({ ...base, action: "member.roles_changed", before: { roles: toMember(row).roles }, after: { roles: updated.roles } });
    if (fullAccessChanged) {
      events.push({ ...base, action: "member.full_access_changed", before: { hasFullAccess: row.hasFullAccess }, after: { hasFullAccess: data.hasFullAccess } });
    }
    const removedIds = removed.map((r) => r.id ?? model.roleBySlug.get(r.slug)?.id ?? -1);
    const t = actor.tenantId;
    const now = new Date();
    const allowed = strips ? Prisma.sql`NOT ${lastOwnerSql(t, row.id)}` : Prisma.sql`TRUE`;
    const [out] = await tx.$queryRaw<{ allowed: boolean; present: boolean }[]>`
      WITH guard AS MATERIALIZED (
        SELECT ${allowed} AS ok, EXISTS (SELECT 1 FROM "Membership" WHERE "id" = ${row.id} AND "tenantId" = ${t}) AS present
      ), go AS MATERIALIZED (SELECT ok AND present AS go FROM guard),
      del AS (
        DELETE FROM "MembershipRole"
         WHERE "tenantId" = ${t} AND "membershipId" = ${row.id} AND "roleId" = ANY(${removedIds}::int[]) AND (SELECT go FROM go)
        RETURNING 1
      ), ins AS (
        INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId")
        SELECT ${row.id}, r, ${t} FROM unnest(${added.map((r) => r.id)}::int[]) AS r WHERE (SELECT go FROM go)
        RETURNING 1
      ), upd AS (
        UPDATE "Membership" SET "hasFullAccess" = ${data.hasFullAccess}::boolean, "updatedAt" = ${now}
         WHERE "id" = ${row.id} AND "tenantId" = ${t} AND ${fullAccessChanged}::boolean AND (SELECT go FROM go)
        RETURNING 1
      ), audit AS (${auditInsert(events, { when: Prisma.sql`(SELECT go FROM go)`, now })})
      SELECT ok AS "allowed", present FROM guard`;
    if (!out!.allowed) throw lastOwnerError();
    if (!out!.present) throw memberNotFound();
    return updated;
  });
}
