/**
 * Accepts a pending join request: the requester becomes an active member with the chosen tenant role (default
 * worker) and the same role at each chosen unit. Refusals: requests.manage missing (FORBIDDEN, named for tokens);
 * no such pending request or a foreign/unknown unit or role (NOT_FOUND); a role at or above the caller's rank, or a
 * unit outside the caller's reach (FORBIDDEN); the requester already a member, or the request decided concurrently
 * (CONFLICT). Membership, decision, audit and the requester's email share one transaction.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { callerAccess } from "../../authz/caller.ts";
import { isOwner, mayAssignRole, rankOf } from "../../authz/effective.ts";
import { DEFAULT_MEMBER_ROLE } from "../../authz/roles.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { appLink, joinRequestAcceptedEmail, queueEmail } from "../../email/index.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { findMemberRow, toMember } from "../members/member-record.ts";
import type { TMember } from "../members/members.schema.ts";
import { parseInput } from "../parse.ts";
import { ZAcceptJoinRequestInput, type TAcceptJoinRequestInput, type TJoinRequest } from "./join-requests.schema.ts";
import { decide, findPendingRequest } from "./request-record.ts";

const denied = (userMessage: string) => new AppError(AppErrorCode.FORBIDDEN, { userMessage });

export async function acceptJoinRequest(db: Db, actor: Actor, input: TAcceptJoinRequestInput): Promise<{ request: TJoinRequest; member: TMember }> {
  assertCan(actor, "requests.manage");
  const data = parseInput(ZAcceptJoinRequestInput, input);
  const roleSlug = data.role ?? DEFAULT_MEMBER_ROLE;
  const unitIds = [...new Set(data.unitIds)];
  return db.$transaction(async (tx) => {
    const request = await findPendingRequest(tx, actor.tenantId, data.ref);
    const role = await tx.role.findUnique({ where: { tenantId_slug: { tenantId: actor.tenantId, slug: roleSlug } }, select: { id: true, slug: true, weight: true } });
    if (!role) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `No role "${roleSlug}" in this tenant.` });

    const tenantAccess = await callerAccess(tx, actor, null);
    if (!mayAssignRole(isOwner(tenantAccess), rankOf(tenantAccess), role)) throw denied(`Access denied. You cannot assign the role "${role.slug}".`);
    const units = await tx.unit.findMany({ where: { tenantId: actor.tenantId, id: { in: unitIds }, archivedAt: null }, select: { id: true } });
    const missing = unitIds.filter((id) => !units.some((u) => u.id === id));
    if (missing.length > 0) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `Unit ${missing.join(", ")} not found.` });
    for (const unitId of unitIds) {
      // The grant ceiling at each unit: the caller must work there (or have full access) and outrank the role there.
      const access = await callerAccess(tx, actor, unitId);
      const owner = isOwner(access);
      if (!(access.hasFullAccess || owner || access.unit?.status === "ACTIVE")) throw denied(`Access denied. You have no access to unit ${unitId}.`);
      if (!mayAssignRole(owner, rankOf(access), role)) throw denied(`Access denied. You cannot assign the role "${role.slug}" at unit ${unitId}.`);
    }

    const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: actor.tenantId, userId: request.user.id } }, select: { id: true } });
    if (existing) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Already a member of this tenant." });
    const decidedAt = await decide(tx, request, "ACCEPTED", actor.userId);
    const now = new Date();
    const membership = await tx.membership.create({
      data: {
        tenantId: actor.tenantId,
        userId: request.user.id,
        roles: { create: { roleId: role.id } },
        unitAccess: { create: unitIds.map((unitId) => ({ unitId, roleId: role.id, status: "ACTIVE" as const, acceptedAt: now })) },
      },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "join_request.accepted", targetType: "join_request", targetId: request.id,
      before: { status: "PENDING" },
      after: { status: "ACCEPTED", userId: request.user.id, email: request.user.email, membershipId: membership.id, role: role.slug, unitIds },
    });
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { name: true, slug: true } });
    await queueEmail(tx, {
      ...(await joinRequestAcceptedEmail({ tenantName: tenant.name, tenantUrl: appLink(`/t/${tenant.slug}`) })),
      to: request.user.email, kind: "join_request_accepted", tenantId: actor.tenantId, refType: "join_request", refId: String(request.id),
    });
    const member = toMember(await findMemberRow(tx, actor.tenantId, { id: membership.id }));
    return { request: { ...request, status: "ACCEPTED" as const, decidedAt }, member };
  });
}
