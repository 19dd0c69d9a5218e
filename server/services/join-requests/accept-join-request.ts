/**
 * Accepts a pending join request: the requester becomes an active member with the chosen tenant role (default
 * worker) and the same role at each chosen unit. Refusals: requests.manage missing (FORBIDDEN, named for tokens);
 * no such pending request or a foreign/unknown unit or role (NOT_FOUND); a role at or above the caller's rank, or a
 * unit outside the caller's reach (FORBIDDEN); the requester already a member, or the request decided concurrently
 * (CONFLICT). Membership, decision, audit and the requester's email share one transaction.
 *
 * Cost: one statement reads the request, the tenant's name, the membership check and the chosen units with the
 * caller's access there (roles from the tenant model cached under the request's accessVersion); then one statement,
 * atomic on its own, decides the request (a conditional update: two admins cannot both accept) and, only if
 * it did, writes the membership, its roles and unit access, the audit row and the email (rendered when it is sent);
 * one more reads the new member back for the answer.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { callerAccess } from "../../authz/caller.ts";
import { isOwner, mayAssignRole, rankOf } from "../../authz/effective.ts";
import { DEFAULT_MEMBER_ROLE } from "../../authz/roles.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { appLink, joinRequestAcceptedSubject } from "../../email/index.ts";
import { queueEmailSql } from "../../email/queue-email.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { accessAt, auditSql, isUniqueViolation, presetUnitsOf, presetUnitsSql, ts } from "../invitations/invitation-record.ts";
import { findMemberRow, toMember } from "../members/member-record.ts";
import type { TMember } from "../members/members.schema.ts";
import { parseInput } from "../parse.ts";
import { ZAcceptJoinRequestInput, type TAcceptJoinRequestInput, type TJoinRequest } from "./join-requests.schema.ts";
import { requestNotFound, toJoinRequest, type RequestRow } from "./request-record.ts";

const denied = (userMessage: string) => new AppError(AppErrorCode.FORBIDDEN, { userMessage });

type FactsRow = {
  tenantName: string; tenantSlug: string;
  id: number | null; tenantId: number; status: TJoinRequest["status"]; message: string | null; createdAt: Date; decidedAt: Date | null;
  uId: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null; language: string;
  emailVerifiedAt: Date | null; lastLoginAt: Date | null; avatar: unknown;
  isMember: boolean; units: unknown; membershipId: number | null;
};

export async function acceptJoinRequest(db: Db, actor: Actor, input: TAcceptJoinRequestInput): Promise<{ request: TJoinRequest; member: TMember }> {
  assertCan(actor, "requests.manage");
  const data = parseInput(ZAcceptJoinRequestInput, input);
  const roleSlug = data.role ?? DEFAULT_MEMBER_ROLE;
  const unitIds = [...new Set(data.unitIds)];
  const t = actor.tenantId;
  const ref = "id" in data.ref ? Prisma.sql`jr."id" = ${data.ref.id}` : Prisma.sql`ru."email" = ${data.ref.email}`;
  const rows = await db.$queryRaw<FactsRow[]>`
    WITH r AS (
      SELECT jr.* FROM "JoinRequest" jr JOIN "User" ru ON ru."id" = jr."userId"
       WHERE jr."tenantId" = ${t} AND jr."status" = 'PENDING' AND ${ref}
       ORDER BY jr."id" LIMIT 1
    )
    SELECT tn."name" AS "tenantName", tn."slug" AS "tenantSlug",
           r."id", r."tenantId", r."status"::text AS status, r."message", r."createdAt", r."decidedAt",
           u."id" AS "uId", u."email", u."firstName", u."lastName", u."displayName", u."language", u."emailVerifiedAt", u."lastLoginAt", u."avatar",
           EXISTS (SELECT 1 FROM "Membership" m WHERE m."tenantId" = tn."id" AND m."userId" = r."userId") AS "isMember",
           ${presetUnitsSql(Prisma.sql`tn."id"`, Prisma.sql`${unitIds}::int[]`, Prisma.sql`${actor.membershipId}::int`)} AS units,
           CASE WHEN r."id" IS NOT NULL THEN nextval(pg_get_serial_sequence('"Membership"', 'id'))::int END AS "membershipId"
      FROM "Tenant" tn LEFT JOIN r ON TRUE LEFT JOIN "User" u ON u."id" = r."userId"
     WHERE tn."id" = ${t}`;
  const f = rows[0];
  if (!f || f.id === null || f.membershipId === null) throw requestNotFound();
  const request = toJoinRequest({
    id: f.id, tenantId: f.tenantId, status: f.status, message: f.message, createdAt: f.createdAt, decidedAt: f.decidedAt,
    user: {
      id: f.uId, email: f.email, firstName: f.firstName, lastName: f.lastName, displayName: f.displayName, language: f.language,
      emailVerifiedAt: f.emailVerifiedAt, lastLoginAt: f.lastLoginAt, avatar: f.avatar,
    },
  } satisfies RequestRow);

  const model = await tenantModel(db, t, actor.accessVersion);
  const role = model.roleBySlug.get(roleSlug);
  if (!role) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `No role "${roleSlug}" in this tenant.` });
  const tenantAccess = await callerAccess(db, actor, null);
  if (!mayAssignRole(isOwner(tenantAccess), rankOf(tenantAccess), role)) throw denied(`Access denied. You cannot assign the role "${role.slug}".`);
  const units = presetUnitsOf(f.units);
  const missing = unitIds.filter((id) => { const u = units.get(id); return !u || u.archived; });
  if (missing.length > 0) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `Unit ${missing.join(", ")} not found.` });
  for (const unitId of unitIds) {
    // The grant ceiling at each unit: the caller must work there (or have full access) and outrank the role there.
    const access = await accessAt(db, actor, model, units.get(unitId));
    const owner = isOwner(access);
    if (!(access.hasFullAccess || owner || access.unit?.status === "ACTIVE")) throw denied(`Access denied. You have no access to unit ${unitId}.`);
    if (!mayAssignRole(owner, rankOf(access), role)) throw denied(`Access denied. You cannot assign the role "${role.slug}" at unit ${unitId}.`);
  }
  const alreadyMember = () => new AppError(AppErrorCode.CONFLICT, { userMessage: "Already a member of this tenant." });
  if (f.isMember) throw alreadyMember();

  const now = new Date();
  const membershipId = f.membershipId;
  const audit = auditSql({
    actor, tenantId: t, action: "join_request.accepted", targetType: "join_request",
    before: { status: "PENDING" },
    after: { status: "ACCEPTED", userId: request.user.id, email: request.user.email, membershipId, role: role.slug, unitIds },
  }, { from: Prisma.sql`claim`, targetId: Prisma.sql`claim."id"`, now });
  const props = { tenantName: f.tenantName, tenantUrl: appLink(`/t/${f.tenantSlug}`) };
  const email = queueEmailSql(
    {
      subject: joinRequestAcceptedSubject(props), template: { name: "join_request_accepted", props },
      to: request.user.email, kind: "join_request_accepted", tenantId: t, refType: "join_request",
    },
    { from: Prisma.sql`claim`, refId: Prisma.sql`claim."id"`, now },
  );
  // One statement, atomic on its own (no BEGIN/COMMIT); the member is read back after it, for the answer.
  let claimed: { id: number | null }[];
  try {
    claimed = await db.$queryRaw<{ id: number | null }[]>`
        WITH claim AS (
          UPDATE "JoinRequest" SET "status" = 'ACCEPTED', "pendingKey" = NULL, "decidedAt" = ${ts(now)}, "decidedById" = ${actor.userId}::int,
                 "updatedAt" = ${ts(now)}
           WHERE "id" = ${request.id} AND "tenantId" = ${t} AND "status" = 'PENDING'
          RETURNING "id"
        ), mem AS (
          INSERT INTO "Membership" ("id", "tenantId", "userId", "status", "kind", "hasFullAccess", "createdAt", "updatedAt")
          SELECT ${membershipId}::int, ${t}::int, ${request.user.id}::int, 'ACTIVE', 'MEMBER', FALSE, ${ts(now)}, ${ts(now)} FROM claim
          RETURNING "id"
        ), mem_roles AS (
          INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId") SELECT mem."id", ${role.id}::int, ${t}::int FROM mem
          RETURNING "roleId"
        ), unit_access AS (
          INSERT INTO "UnitAccess" ("tenantId", "membershipId", "unitId", "roleId", "status", "overrides", "acceptedAt", "createdAt", "updatedAt")
          SELECT ${t}::int, mem."id", u.id, ${role.id}::int, 'ACTIVE', '{}'::jsonb, ${ts(now)}, ${ts(now)}, ${ts(now)}
            FROM mem, unnest(${unitIds}::int[]) AS u(id)
          RETURNING "id"
        ), ${audit}, ${email}
        SELECT (SELECT "id" FROM claim) AS id`;
  } catch (e) {
    // The requester joined meanwhile (an invitation accepted at the same time): the (tenant, user) index refuses it.
    if (isUniqueViolation(e)) throw alreadyMember();
    throw e;
  }
  if (claimed[0]?.id == null) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "This request was already decided." });
  const member = toMember(await findMemberRow(db, t, { id: membershipId }));
  return { request: { ...request, status: "ACCEPTED" as const, decidedAt: now }, member };
}
