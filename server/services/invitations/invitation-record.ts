/**
 * Shared pieces of the invitation use cases (not a use case itself): one select and mapper, the tenant-scoped lookup
 * of a pending invitation, lazy expiry, the link base check, the accept link and email, and the preset check against
 * a grant ceiling (used at creation for the inviter, and again at acceptance for the inviter as they are now).
 */
import type { Actor } from "../../authz/actor.ts";
import type { RightDef, RightValue } from "../../authz/catalog.ts";
import { effectiveValues, mayAssignRole, valueWithin } from "../../authz/effective.ts";
import { toRoleLite, toValues } from "../../authz/load.ts";
import { recordAuditEvent, SYSTEM_ACTOR } from "../../audit/record.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../../auth/secrets.ts";
import type { Db, Tx } from "../../db/client.ts";
import { appLink, clientInvitationEmail, invitationEmail, isAllowedLinkBase, queueEmail } from "../../email/index.ts";
import { getEnv } from "../../env.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { denied, findUnit, unitRights, ceilingAt } from "../access/scope.ts";
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
    where: { id: { in: stale.map((s) => s.id) }, status: "PENDING" },
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

/** Queues the invitation email in the caller's transaction; it goes out after commit through the job queue. */
export async function queueInvitationEmail(
  tx: Tx,
  tenant: TenantForLinks,
  inv: { id: number; kind: "MEMBER" | "CLIENT"; email: string; message: string | null; expiresAt: Date; roleTitle: string | null },
  inviterName: string | null,
  acceptUrl: string,
): Promise<void> {
  const common = { tenantName: tenant.name, inviterName, message: inv.message, acceptUrl, expiresAt: inv.expiresAt };
  const rendered = inv.kind === "CLIENT" ? await clientInvitationEmail(common) : await invitationEmail({ ...common, roleTitle: inv.roleTitle ?? "Member" });
  await queueEmail(tx, {
    ...rendered, to: inv.email, tenantId: tenant.id, kind: inv.kind === "CLIENT" ? "client_invitation" : "invitation",
    refType: "invitation", refId: String(inv.id),
  });
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
 * Resolves preset roles and unit grants inside the actor's tenant and checks them against the actor's grant ceiling:
 * an unknown role is a 422 naming the field, a foreign or archived unit a 404, a role or value above what the actor
 * may grant a 403 naming it. `path` prefixes the field names (`items[2].`).
 */
export async function resolvePresets(
  tx: Tx,
  actor: Actor,
  catalog: readonly RightDef[],
  input: PresetInput,
  path = "",
): Promise<ResolvedPresets> {
  const slugs = [...new Set([...input.roles, ...input.unitGrants.map((g) => g.role)])];
  const rows = await tx.role.findMany({ where: { tenantId: actor.tenantId, slug: { in: slugs } }, select: { id: true, slug: true, title: true, weight: true, defaults: true } });
  const bySlug = new Map(rows.map((r) => [r.slug, r]));
  const roleOf = (slug: string, field: string) => {
    const r = bySlug.get(slug);
    if (!r) {
      const message = `unknown role "${slug}"`;
      throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${path}${field}: ${message}`, issues: [{ path: `${path}${field}`, message }] });
    }
    return r;
  };
  const authority = await authorityOf(tx, actor);
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
    await findUnit(tx, actor, g.unitId);
    const ceiling = await ceilingAt(tx, actor, g.unitId, catalog);
    if (!ceiling.reaches) throw denied();
    const lite = toRoleLite(role);
    if (!mayAssignRole(ceiling.isOwner, ceiling.rank, lite)) throw denied(role.slug);
    const overrides: Record<string, RightValue> = {};
    for (const v of values) overrides[v.def.slug] = v.value;
    const after = effectiveValues(rights, { hasFullAccess: false, tenantRoles: [], unit: { role: lite, overrides, status: "ACTIVE" } });
    for (const def of rights) {
      if (!valueWithin(def.type, after[def.slug] ?? null, ceiling.values[def.slug] ?? null)) throw denied(def.slug);
    }
    grants.push({ unitId: g.unitId, roleSlug: role.slug, roleId: role.id, permissions: overrides, staffId: g.staffId ?? null, position: g.position ?? null });
  }
  return { roles, grants };
}

/** Prisma's unique-constraint violation (a concurrent duplicate that slipped past the read check). */
export const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: unknown }).code === "P2002";
