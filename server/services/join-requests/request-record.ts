/**
 * Shared reading and writing for the join-request use cases (not a use case itself): one select and DTO mapper, the
 * tenant lookup with its join-policy refusals, the filing step every "ask to join" path shares (conflict checks,
 * the PENDING row, audit, admin emails, all in the caller's transaction), and the pending-request lookup.
 */
import { systemPermissionsOf, type RequestMeta } from "../../authz/actor.ts";
import { recordAuditEvent, type AuditActor } from "../../audit/record.ts";
import type { Db, Tx } from "../../db/client.ts";
import { appLink, joinRequestReceivedEmail } from "../../email/index.ts";
import { queueEmails } from "../../email/queue-email.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import type { TJoinRequest, TJoinRequestRef } from "./join-requests.schema.ts";

type Reader = Db | Tx;

export const REQUEST_SELECT = {
  id: true, tenantId: true, status: true, message: true, createdAt: true, decidedAt: true,
  user: {
    select: {
      id: true, email: true, firstName: true, lastName: true, displayName: true, language: true, emailVerifiedAt: true, lastLoginAt: true, avatar: true,
    },
  },
} as const;

type RequestRow = {
  id: number; tenantId: number; status: TJoinRequest["status"]; message: string | null; createdAt: Date; decidedAt: Date | null;
  user: {
    id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null; language: string;
    emailVerifiedAt: Date | null; lastLoginAt: Date | null; avatar: unknown;
  };
};

export function toJoinRequest(row: RequestRow): TJoinRequest {
  const { emailVerifiedAt, ...user } = row.user;
  return {
    id: row.id, tenantId: row.tenantId, status: row.status, message: row.message, createdAt: row.createdAt, decidedAt: row.decidedAt,
    user: { ...user, verified: emailVerifiedAt !== null, avatar: user.avatar ?? null },
  };
}

export const CLOSED_MESSAGE = "This tenant does not accept requests";
export const requestNotFound = () => new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Join request not found." });
export const tenantNotFound = () => new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Tenant not found." });
export const tenantClosed = () => new AppError(AppErrorCode.FORBIDDEN, { userMessage: CLOSED_MESSAGE });

export type JoinTenant = { id: number; slug: string; name: string; joinPolicy: "CLOSED" | "REQUEST" | "OPEN"; status: "ACTIVE" | "SUSPENDED" };
const TENANT_SELECT = { id: true, slug: true, name: true, joinPolicy: true, status: true } as const;

/**
 * A tenant that takes requests. CLOSED or suspended → FORBIDDEN with the neutral message; an unknown slug gets the
 * very same answer (issue 9: an unknown tenant and a closed one look alike, so a slug's existence never leaks). An
 * unknown id (a partner token's own tenant, gone) is NOT_FOUND.
 */
export async function findRequestableTenant(db: Reader, where: { slug: string } | { id: number }): Promise<JoinTenant> {
  const tenant = await db.tenant.findUnique({ where, select: TENANT_SELECT });
  if (!tenant) throw "slug" in where ? tenantClosed() : tenantNotFound();
  if (tenant.joinPolicy === "CLOSED" || tenant.status !== "ACTIVE") throw tenantClosed();
  return tenant;
}

export const userAuditActor = (userId: number, meta: RequestMeta | null): AuditActor => ({
  kind: "user", userId, tokenId: null, meta: meta ?? { ip: null, userAgent: null, requestId: null },
});

/** Whether `e` is a unique-constraint violation (Prisma P2002), e.g. a second PENDING request racing the first. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}

const alreadyPending = () => new AppError(AppErrorCode.CONFLICT, { userMessage: "There is already a pending request to join this tenant." });

/**
 * Runs a transaction that files a request; a unique violation on (tenantId, pendingKey) means a concurrent request
 * won the race, which is the same 409 as the pre-check gives.
 */
export async function withPendingConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyPending();
    throw e;
  }
}

/**
 * Files a PENDING request of `userId` for `tenant` inside `tx`: refuses an existing member (409) and a second
 * pending request (409), records the audit event and queues one email per admin who handles requests.
 */
export async function fileJoinRequest(
  tx: Tx,
  tenant: JoinTenant,
  input: { userId: number; message: string | null; actor: AuditActor; via: "landing" | "partner" | "sign_up" },
): Promise<TJoinRequest> {
  const member = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: tenant.id, userId: input.userId } }, select: { id: true } });
  if (member) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Already a member of this tenant." });
  const pending = await tx.joinRequest.findUnique({ where: { tenantId_pendingKey: { tenantId: tenant.id, pendingKey: String(input.userId) } }, select: { id: true } });
  if (pending) throw alreadyPending();
  const row = await tx.joinRequest.create({
    data: { tenantId: tenant.id, userId: input.userId, status: "PENDING", pendingKey: String(input.userId), message: input.message },
    select: REQUEST_SELECT,
  });
  const request = toJoinRequest(row as RequestRow);
  await recordAuditEvent(tx, {
    actor: input.actor, tenantId: tenant.id, action: "join_request.created", targetType: "join_request", targetId: request.id,
    after: { userId: request.user.id, email: request.user.email, via: input.via, hasMessage: request.message !== null },
  });
  await notifyAdmins(tx, tenant, request);
  return request;
}

/** At most this many admins are emailed about one request; the pending inbox shows it to all of them anyway. */
const MAX_ADMIN_EMAILS = 50;

/** Emails every active member who holds requests.manage (per the tenant's current role defaults). */
async function notifyAdmins(tx: Tx, tenant: JoinTenant, request: TJoinRequest): Promise<void> {
  const members = await tx.membership.findMany({
    where: { tenantId: tenant.id, status: "ACTIVE", kind: "MEMBER", user: { disabledAt: null } },
    orderBy: { id: "asc" },
    select: { hasFullAccess: true, user: { select: { email: true } }, roles: { select: { role: { select: { slug: true, defaults: true } } } } },
  });
  const admins = members
    .filter((m) => systemPermissionsOf(m.roles.map((r) => r.role), m.hasFullAccess).has("requests.manage"))
    .slice(0, MAX_ADMIN_EMAILS);
  if (admins.length === 0) return;
  const u = request.user;
  const name = [u.firstName, u.lastName].filter(Boolean).join(" ") || u.displayName;
  const email = await joinRequestReceivedEmail({
    tenantName: tenant.name, requesterName: name || null, requesterEmail: u.email, message: request.message,
    inboxUrl: appLink(`/t/${tenant.slug}/pending?tab=requests`),
  });
  // One statement for every admin's delivery and job (was two per admin).
  await queueEmails(tx, admins.map((admin) => ({
    ...email, to: admin.user.email, kind: "join_request_received" as const, tenantId: tenant.id, refType: "join_request", refId: String(request.id),
  })));
}

/** The PENDING request `ref` names inside the tenant; anything else (decided, foreign, unknown) is NOT_FOUND. */
export async function findPendingRequest(tx: Tx, tenantId: number, ref: { id: number } | { email: string }) {
  const row = await tx.joinRequest.findFirst({
    where: { tenantId, status: "PENDING", ...("id" in ref ? { id: ref.id } : { user: { email: ref.email } }) },
    select: REQUEST_SELECT,
  });
  if (!row) throw requestNotFound();
  return toJoinRequest(row as RequestRow);
}

/**
 * Moves a PENDING request to its decision with one conditional update; zero rows means another admin decided it
 * first (409), so two concurrent decisions never both apply.
 */
export async function decide(tx: Tx, request: TJoinRequest, status: "ACCEPTED" | "DENIED", decidedById: number | null): Promise<Date> {
  const decidedAt = new Date();
  const r = await tx.joinRequest.updateMany({
    where: { id: request.id, tenantId: request.tenantId, status: "PENDING" },
    data: { status, pendingKey: null, decidedAt, decidedById },
  });
  if (r.count !== 1) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "This request was already decided." });
  return decidedAt;
}

export type { RequestRow, TJoinRequestRef };
