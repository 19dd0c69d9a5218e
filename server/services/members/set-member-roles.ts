/**
 * Sets a member's tenant roles and full access. Refusals, in order: the last owner losing the owner role or full
 * access (CONFLICT, whoever asks, the owner included); a target at or above the caller's rank, a role above the
 * caller's ceiling, or full access granted by a caller without it (FORBIDDEN).
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { assertNotLastOwner } from "./guards.ts";
import { accessDenied, authorityOf, findMemberRow, toMember } from "./member-record.ts";
import { ZSetMemberRolesInput, type TMember, type TSetMemberRolesInput } from "./members.schema.ts";

export async function setMemberRoles(db: Db, actor: Actor, input: TSetMemberRolesInput): Promise<TMember> {
  const data = parseInput(ZSetMemberRolesInput, input);
  const wanted = [...new Set(data.roles)];
  return db.$transaction(async (tx) => {
    const row = await findMemberRow(tx, actor.tenantId, { id: data.id });
    const current = row.roles.map((r) => r.role.slug);
    const wasOwner = current.some(isOwnerRole);
    const staysOwner = wanted.some(isOwnerRole);
    if (wasOwner && (!staysOwner || (row.hasFullAccess && !data.hasFullAccess))) {
      await assertNotLastOwner(tx, actor.tenantId, row.id);
    }
    // Order: target found in this tenant (404), then the last-owner rule (409), then permission (403): issue 4 says
    // the last-owner refusal takes precedence over any other, whoever asks.
    assertCan(actor, "members.update");
    // Changing someone's roles (and so making or unmaking owners) needs a recent password or code (cookie sessions).
    assertRecentAuth(actor);

    const roles = await tx.role.findMany({ where: { tenantId: actor.tenantId, slug: { in: wanted } }, select: { id: true, slug: true, weight: true } });
    const unknown = wanted.findIndex((slug) => !roles.some((r) => r.slug === slug));
    if (unknown >= 0) {
      const path = `roles[${data.roles.indexOf(wanted[unknown]!)}]`;
      throw new AppError(AppErrorCode.UNPROCESSABLE, {
        userMessage: `Invalid ${path}: no role "${wanted[unknown]}" in this tenant`,
        issues: [{ path, message: `no role "${wanted[unknown]}" in this tenant` }],
      });
    }

    const authority = await authorityOf(tx, actor);
    if (!authority.outranks(row)) throw accessDenied();
    const added = roles.filter((r) => !current.includes(r.slug));
    const removed = row.roles.filter((r) => !wanted.includes(r.role.slug)).map((r) => r.role);
    for (const role of [...added, ...removed]) {
      if (!authority.mayAssign(role)) throw accessDenied(`Access denied. You cannot assign or remove the role "${role.slug}".`);
    }
    if (data.hasFullAccess !== row.hasFullAccess && !authority.access.hasFullAccess) {
      throw accessDenied("Access denied. Only a member with full access can change full access.");
    }

    const rolesChanged = added.length > 0 || removed.length > 0;
    const fullAccessChanged = data.hasFullAccess !== row.hasFullAccess;
    if (!rolesChanged && !fullAccessChanged) return toMember(row);

    if (rolesChanged) {
      await tx.membershipRole.deleteMany({ where: { membershipId: row.id, tenantId: actor.tenantId, role: { slug: { notIn: wanted } } } });
      await tx.membershipRole.createMany({ data: added.map((r) => ({ membershipId: row.id, roleId: r.id, tenantId: actor.tenantId })) });
    }
    if (fullAccessChanged) await tx.membership.update({ where: { id: row.id }, data: { hasFullAccess: data.hasFullAccess } });
    const updated = toMember(await findMemberRow(tx, actor.tenantId, { id: row.id }));
    const base = { actor, tenantId: actor.tenantId, targetType: "membership", targetId: row.id } as const;
    if (rolesChanged) {
      await recordAuditEvent(tx, { ...base, action: "member.roles_changed", before: { roles: toMember(row).roles }, after: { roles: updated.roles } });
    }
    if (fullAccessChanged) {
      await recordAuditEvent(tx, { ...base, action: "member.full_access_changed", before: { hasFullAccess: row.hasFullAccess }, after: { hasFullAccess: data.hasFullAccess } });
    }
    return updated;
  });
}
