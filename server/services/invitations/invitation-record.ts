/**
 * Shared pieces of the invitation use cases (not a use case itself): one select and mapper, the tenant-scoped lookup
 * of a pending invitation, lazy expiry, the link base check, the accept link and email, and the preset check against
 * a grant ceiling (used at creation for the inviter, and again at acceptance for the inviter as they are now).
 */
import type { Actor } from "../../authz/actor.ts";
import type { RightDef, RightValue } from "../../authz/catalog.ts";
import { callerAccess } from "../../authz/caller.ts";
import { effectiveValues, isOwner, mayAssignRole, rankOf, valueWithin, type MemberAccess } from "../../authz/effective.ts";
import { toRoleLite, toValues } from "../../authz/load.ts";
import type { TenantModel } from "../../authz/tenant-model.ts";
import { actorTypeOf, recordAuditEvent, SYSTEM_ACTOR, type AuditAction, type AuditActor } from "../../audit/record.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../../auth/secrets.ts";
import type { Db, Tx } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import {
  appLink, clientInvitationEmail, invitationEmail, invitationSubject, isAllowedLinkBase, queueEmail, type TEmailMessage, type TTemplatedEmailMessage,
} from "../../email/index.ts";
import { getEnv } from "../../env.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { denied, notFound, unitRights } from "../access/scope.ts";
import { validateValues } from "../access/validate-values.ts";
import { authorityOf } from "../members/member-record.ts";
import type { TInvitation, TUnitGrantOut } from "./invitations.schema.ts";

type Reader = Db | Tx;

export const INVITATION_SELECT = {
  id: true, tenantId: true, kind: true, status: true, email: true, phone: true, roles: true, unitGrants: true, message: true,
  createdAt: true, expiresAt: true, sendCount: true, lastSentAt: true, invitedById: true, userId: true,
  invitedBy: { select: { id: true, email: true, firstName: true, lastName: true, displayName: true } },
} as const;

type PersonName = { email: string; firstName: string | null; lastName: string | null; displayName: string | null };
export type InvitationRow = {
  id: number; tenantId: number; kind: "MEMBER" | "CLIENT"; status: "PENDING" | "ACCEPTED" | "DECLINED" | "CANCELLED" | "EXPIRED";
  email: string | null; phone: string | null; roles: string[]; unitGrants: unknown; message: string | null;
  createdAt: Date; expiresAt: Date; sendCount: number; lastSentAt: Date | null; invitedById: number | null; userId: number | null;
  invitedBy: ({ id: number } & PersonName) | null;
};

/** The stored grant shape: [{ unitId, roleSlug, permissions: { [slug]: value }, staffId, position }]. */
export type StoredGrant = { unitId: number; roleSlug: string; permissions: Record<string, RightValue>; staffId: number | null; position: string | null };

export function storedGrants(json: unknown): StoredGrant[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((g: unknown) => {
    if (!g || typeof g !== "object") return [];
    const o = g as Record<string, unknown>;
    if (typeof o.unitId !== "number" || typeof o.roleSlug !== "string") return [];
    return [{
      unitId: o.unitId, roleSlug: o.roleSlug, permissions: toValues(o.permissions),
      staffId: typeof o.staffId === "number" ? o.staffId : null, position: typeof o.position === "string" ? o.position : null,
    }];
  });
}

export const personName = (p: PersonName) =>
  p.displayName || [p.firstName, p.lastName].filter(Boolean).join(" ") || p.email;

/** An invitation whose time ran out shows as EXPIRED even before the lazy update marks it. */
export const effectiveStatus = (row: Pick<InvitationRow, "status" | "expiresAt">, now = new Date()) =>
  row.status === "PENDING" && row.expiresAt <= now ? "EXPIRED" : row.status;

export function toInvitation(row: InvitationRow, now = new Date()): TInvitation {
  const grants: TUnitGrantOut[] = storedGrants(row.unitGrants).map((g) => ({
    unitId: g.unitId, role: g.roleSlug, permissions: g.permissions, staffId: g.staffId, position: g.position,
  }));
  // The invitee's user record is deliberately not read: see ZInvitation.
  return {
    id: row.id, tenantId: row.tenantId, kind: row.kind, status: effectiveStatus(row, now), email: row.email, phone: row.phone,
    roles: row.roles, unitGrants: grants, message: row.message,
    invitedBy: row.invitedBy ? { userId: row.invitedBy.id, name: personName(row.invitedBy) } : null,
    createdAt: row.createdAt, expiresAt: row.expiresAt, sendCount: row.sendCount, lastSentAt: row.lastSentAt,
  };
}

export const noPendingInvitation = (who: string) =>
  new AppError(AppErrorCode.NOT_FOUND, { userMessage: `No pending invitation for ${who}.` });

/** The recipient key an invitation holds in `pendingKey` while PENDING (normalised email or E.164 phone). */
export const recipientKey = (r: { email?: string | null | undefined; phone?: string | null | undefined }) => (r.email ?? r.phone)!;

/**
 * Marks the tenant's PENDING invitations whose time ran out as EXPIRED (pendingKey released, so they block nothing),
 * with one audit event each, attributed to the system. `key` limits it to one recipient.
 */
export async function expireStale(tx: Tx, tenantId: number, key?: string, now = new Date()): Promise<number> {
  const stale = await tx.invitation.findMany({
    where: { tenantId, status: "PENDING", expiresAt: { lte: now }, ...(key !== undefined ? { pendingKey: key } : {}) },
    select: { id: true },
  });
  if (stale.length === 0) return 0;
  const r = await tx.invitation.updateMany({
    where: { tenantId, id: { in: stale.map((s) => s.id) }, status: "PENDING" },
    data: { status: "EXPIRED", pendingKey: null, decidedAt: now },
  });
  for (const s of stale) {
    await recordAuditEvent(tx, { actor: SYSTEM_ACTOR, tenantId, action: "invitation.expired", targetType: "invitation", targetId: s.id });
  }
  return r.count;
}

export type TenantForLinks = { id: number; name: string; status: "ACTIVE" | "SUSPENDED"; invitationTtlDays: number; allowedLinkOrigins: string[] };

export async function loadTenantForInvites(db: Reader, tenantId: number): Promise<TenantForLinks> {
  return db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { id: true, name: true, status: true, invitationTtlDays: true, allowedLinkOrigins: true },
  });
}

/** 422 naming `verificationBaseUrl` unless the base's origin is the app's own or on the tenant's allow-list. */
export function assertLinkBase(tenant: TenantForLinks, base: string | undefined, path = "verificationBaseUrl"): void {
  if (base === undefined) return;
  if (!isAllowedLinkBase(getEnv().publicUrl, base, tenant.allowedLinkOrigins)) {
    const message = "the link base URL is not on this tenant's allow-list";
    throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${path}: ${message}`, issues: [{ path, message }] });
  }
}

/** A fresh token: the raw secret (for the link only) and its hash (the only thing stored). */
export function newInviteToken() {
  const raw = newSecret(SECRET_PREFIX.invitation);
  return { raw, hash: hashSecret(raw) };
}

export const inviteLink = (tenant: TenantForLinks, raw: string, base?: string) =>
  appLink(`/invite/${raw}`, { ...(base !== undefined ? { base } : {}), allowedOrigins: tenant.allowedLinkOrigins });

export const expiryFrom = (tenant: TenantForLinks, now = new Date()) => new Date(now.getTime() + tenant.invitationTtlDays * 86_400_000);

/** The invitation email, rendered (slow: React Email), as queueEmail takes it but for its refId. */
export async function renderInvitationEmail(
  tenant: TenantForLinks,
  inv: { kind: "MEMBER" | "CLIENT"; email: string; message: string | null; expiresAt: Date; roleTitle: string | null },
  inviterName: string | null,
  acceptUrl: string,
): Promise<Omit<TEmailMessage, "refId">> {
  const common = { tenantName: tenant.name, inviterName, message: inv.message, acceptUrl, expiresAt: inv.expiresAt };
  const rendered = inv.kind === "CLIENT" ? await clientInvitationEmail(common) : await invitationEmail({ ...common, roleTitle: inv.roleTitle ?? "Member" });
  return { ...rendered, to: inv.email, tenantId: tenant.id, kind: inv.kind === "CLIENT" ? "client_invitation" : "invitation", refType: "invitation" };
}

/**
 * The invitation email as a template and props, rendered by the sendEmail job when it goes out (queueEmailSql): the
 * same content as renderInvitationEmail, without spending the request's time on rendering.
 */
export function invitationEmailTemplate(
  tenant: TenantForLinks,
  inv: { kind: "MEMBER" | "CLIENT"; email: string; message: string | null; expiresAt: Date; roleTitle: string | null },
  inviterName: string | null,
  acceptUrl: string,
): Omit<TTemplatedEmailMessage, "refId"> {
  const client = inv.kind === "CLIENT";
  const common = { tenantName: tenant.name, inviterName, message: inv.message, acceptUrl, expiresAt: inv.expiresAt };
  return {
    subject: invitationSubject(common, client),
    template: client ? { name: "client_invitation", props: common } : { name: "invitation", props: { ...common, roleTitle: inv.roleTitle ?? "Member" } },
    to: inv.email, tenantId: tenant.id, kind: client ? "client_invitation" : "invitation", refType: "invitation",
  };
}

/** Queues the invitation email in the caller's transaction; it goes out after commit through the job queue. */
export async function queueInvitationEmail(
  tx: Tx,
  tenant: TenantForLinks,
  inv: { id: number; kind: "MEMBER" | "CLIENT"; email: string; message: string | null; expiresAt: Date; roleTitle: string | null },
  inviterName: string | null,
  acceptUrl: string,
): Promise<void> {
  const message = await renderInvitationEmail(tenant, inv, inviterName, acceptUrl);
  await queueEmail(tx, { ...message, refId: String(inv.id) });
}

/** A timestamp parameter for a `timestamp(3)` column holding UTC (an ISO string's zone is ignored by the cast). */
export const ts = (d: Date) => Prisma.sql`${d.toISOString()}::timestamp(3)`;

/**
 * The tenant audit row recordAuditEvent would write, as a data-modifying CTE `audit` over the rows of `from` (so it is
 * written in the statement that makes the change, and only if the change happened). `targetId` is SQL over `from`;
 * `before` and `after` are values, or SQL building jsonb from `from`'s columns.
 */
export function auditSql(
  event: { actor: AuditActor; tenantId: number; action: AuditAction; targetType: string; before?: unknown; after?: unknown },
  sql: { from: Prisma.Sql; targetId: Prisma.Sql; now: Date },
): Prisma.Sql {
  const { actor } = event;
  const meta = actor.meta;
  // A value is bound as JSON; SQL (jsonb over `from`'s columns) is spliced as it is.
  const json = (v: unknown) => (v instanceof Prisma.Sql ? v : Prisma.sql`${v == null ? null : JSON.stringify(v)}::jsonb`);
  return Prisma.sql`audit AS (
      INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", "actorTokenId", "action", "targetType", "targetId",
        "before", "after", "ip", "userAgent", "requestId", "createdAt")
      SELECT ${event.tenantId}::int, ${actorTypeOf(actor)}::"ActorType",
             ${actor.userId ?? null}::int, ${actor.tokenId ?? null}::int, ${event.action}, ${event.targetType}, (${sql.targetId})::text,
             ${json(event.before)}, ${json(event.after)}, ${meta?.ip ?? null}::text, ${meta?.userAgent?.slice(0, 500) ?? null}::text,
             ${meta?.requestId ?? null}::text, ${ts(sql.now)}
        FROM ${sql.from}
      RETURNING "id"
    )`;
}

/**
 * Marks one recipient's PENDING invitation whose time ran out as EXPIRED (releasing its pendingKey) with its audit
 * event, in one statement: createInvitation's cheap path for what expireStale does tenant-wide.
 */
export async function expireStaleFor(tx: Tx, tenantId: number, key: string, now: Date): Promise<void> {
  await tx.$executeRaw`
    WITH stale AS (
      UPDATE "Invitation" SET "status" = 'EXPIRED', "pendingKey" = NULL, "decidedAt" = ${ts(now)}, "updatedAt" = ${ts(now)}
       WHERE "tenantId" = ${tenantId} AND "pendingKey" = ${key} AND "status" = 'PENDING' AND "expiresAt" <= ${ts(now)}
      RETURNING "id"
    ), ${auditSql({ actor: SYSTEM_ACTOR, tenantId, action: "invitation.expired", targetType: "invitation" }, { from: Prisma.sql`stale`, targetId: Prisma.sql`stale."id"`, now })}
    SELECT 1`;
}

export async function inviterNameOf(db: Reader, actor: Actor): Promise<string | null> {
  if (actor.userId === null) return null;
  const u = await db.user.findUnique({ where: { id: actor.userId }, select: { email: true, firstName: true, lastName: true, displayName: true } });
  return u ? personName(u) : null;
}

export type PresetInput = {
  roles: readonly string[];
  unitGrants: ReadonlyArray<{ unitId: number; role: string; permissions: ReadonlyArray<{ slug: string; value: unknown }>; staffId?: number | null | undefined; position?: string | null | undefined }>;
};
export type ResolvedPresets = {
  roles: { id: number; slug: string; title: string }[];
  grants: (StoredGrant & { roleId: number })[];
};

/**
 * What the preset check needs to know about the units an invitation names, read by the caller's own statement
 * (presetUnitsSql) instead of a query per unit: each unit of the tenant among them (missing: not the tenant's),
 * whether it is archived, and what the acting member itself holds there.
 */
export type PresetUnit = {
  id: number; name: string; archived: boolean;
  access: { roleId: number; status: "ACTIVE" | "INVITED"; overrides: unknown } | null;
};
export type PresetUnits = ReadonlyMap<number, PresetUnit>;

/**
 * The units `unitIds` of `tenantId` with the unit access of `membershipId` at each, as one json column: splice into a
 * SELECT list. Arguments are SQL so a statement can pass its own columns (an invitation's grants, an inviter's id).
 */
export const presetUnitsSql = (tenantId: Prisma.Sql, unitIds: Prisma.Sql, membershipId: Prisma.Sql) => Prisma.sql`
  COALESCE((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'archived', u."archivedAt" IS NOT NULL,
      'access', (SELECT json_build_object('roleId', ua."roleId", 'status', ua.status, 'overrides', ua.overrides)
                   FROM "UnitAccess" ua WHERE ua."tenantId" = u."tenantId" AND ua."unitId" = u.id AND ua."membershipId" = ${membershipId})))
    FROM "Unit" u WHERE u."tenantId" = ${tenantId} AND u.id = ANY(${unitIds})), '[]'::json)`;

export const presetUnitsOf = (json: unknown): PresetUnits =>
  new Map((Array.isArray(json) ? (json as PresetUnit[]) : []).map((u) => [u.id, u]));

/** What the actor holds at a unit (callerAccess), from the preloaded unit access of a member actor. */
export async function accessAt(db: Reader, actor: Actor, model: TenantModel, unit: PresetUnit | undefined): Promise<MemberAccess> {
  if (actor.kind === "system" || actor.membershipId === null || !actor.tenantRoles || !unit) return callerAccess(db, actor, unit?.id ?? null);
  const ua = unit.access;
  const role = ua ? model.roleById.get(ua.roleId) : undefined;
  // A role the cached model does not know was created after this request's snapshot: ask the database.
  if (ua && !role) return callerAccess(db, actor, unit.id);
  return {
    hasFullAccess: actor.hasFullAccess, tenantRoles: actor.tenantRoles,
    unit: ua && role ? { role: toRoleLite(role), overrides: toValues(ua.overrides), status: ua.status } : null,
  };
}

/**
 * Resolves preset roles and unit grants inside the actor's tenant and checks them against the actor's grant ceiling:
 * an unknown role is a 422 naming the field, a foreign or archived unit a 404, a role or value above what the actor
 * may grant a 403 naming it. `path` prefixes the field names (`items[2].`). Roles and rights come from the tenant
 * model, the units and the actor's access there from `units`: no query for a member, the system or a partner.
 */
export async function resolvePresets(
  db: Reader,
  actor: Actor,
  model: TenantModel,
  units: PresetUnits,
  input: PresetInput,
  path = "",
): Promise<ResolvedPresets> {
  const catalog = model.catalog;
  const roleOf = (slug: string, field: string) => {
    const r = model.roleBySlug.get(slug);
    if (!r) {
      const message = `unknown role "${slug}"`;
      throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${path}${field}: ${message}`, issues: [{ path: `${path}${field}`, message }] });
    }
    return r;
  };
  const authority = await authorityOf(db, actor);
  const roles = input.roles.map((slug, i) => {
    const r = roleOf(slug, `roles[${i}]`);
    if (!authority.mayAssign(r)) throw denied(r.slug);
    return { id: r.id, slug: r.slug, title: r.title };
  });
  const rights = unitRights(catalog);
  const seenUnits = new Set<number>();
  const grants: ResolvedPresets["grants"] = [];
  for (const [i, g] of input.unitGrants.entries()) {
    if (seenUnits.has(g.unitId)) {
      const message = `unit ${g.unitId} is listed twice`;
      throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${path}unitGrants[${i}].unitId: ${message}`, issues: [{ path: `${path}unitGrants[${i}].unitId`, message }] });
    }
    seenUnits.add(g.unitId);
    const values = validateValues(catalog, g.permissions, `${path}unitGrants[${i}].permissions`, { unitScoped: true });
    const role = roleOf(g.role, `unitGrants[${i}].role`);
    const unit = units.get(g.unitId);
    if (!unit || unit.archived) throw notFound("Unit");
    const access = await accessAt(db, actor, model, unit);
    const owner = isOwner(access);
    const rank = rankOf(access);
    const ceilingValues = effectiveValues(catalog, access);
    if (!(access.hasFullAccess || owner || access.unit?.status === "ACTIVE")) throw denied();
    const lite = toRoleLite(role);
    if (!mayAssignRole(owner, rank, lite)) throw denied(role.slug);
    const overrides: Record<string, RightValue> = {};
    for (const v of values) overrides[v.def.slug] = v.value;
    const after = effectiveValues(rights, { hasFullAccess: false, tenantRoles: [], unit: { role: lite, overrides, status: "ACTIVE" } });
    for (const def of rights) {
      if (!valueWithin(def.type, after[def.slug] ?? null, ceilingValues[def.slug] ?? null)) throw denied(def.slug);
    }
    grants.push({ unitId: g.unitId, roleSlug: role.slug, roleId: role.id, permissions: overrides, staffId: g.staffId ?? null, position: g.position ?? null });
  }
  return { roles, grants };
}

/** Prisma's unique-constraint violation (a concurrent duplicate that slipped past the read check). */
export function isUniqueViolation(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const { code, meta, message } = e as { code?: unknown; meta?: unknown; message?: unknown };
  if (code === "P2002") return true;
  // A raw statement's failure carries the database's SQLSTATE (23505: unique_violation) in its meta or message.
  return code === "P2010" && /23505|unique constraint/i.test(`${JSON.stringify(meta ?? {})} ${String(message ?? "")}`);
}
