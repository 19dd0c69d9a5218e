/**
 * Invites people into the actor's tenant, one or many (all-or-nothing, per-item results). Each invitation carries
 * preset tenant roles and unit grants checked against the inviter's ceiling, a token stored only as its hash, and an
 * expiry from the tenant's settings. The email is queued in the same transaction and goes out after commit; with
 * sendEmail false (or a phone invitation, there being no SMS channel) the accept link is returned once instead.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { loadCatalog } from "../../authz/load.ts";
import { DEFAULT_CLIENT_ROLE, DEFAULT_MEMBER_ROLE } from "../../authz/roles.ts";
import type { RightDef } from "../../authz/catalog.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db, Tx } from "../../db/client.ts";
import { AppError, AppErrorCode, isAppError } from "../../errors.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import {
  assertLinkBase, expireStale, expiryFrom, INVITATION_SELECT, inviteLink, inviterNameOf, isUniqueViolation, loadTenantForInvites,
  newInviteToken, queueInvitationEmail, recipientKey, resolvePresets, toInvitation, type InvitationRow, type TenantForLinks,
} from "./invitation-record.ts";
import {
  ZCreateInvitationInput, ZCreateInvitationsInput, type TCreateInvitationData, type TCreateInvitationInput,
  type TCreateInvitationOutput, type TCreateInvitationsInput, type TCreateInvitationsOutput,
} from "./invitations.schema.ts";

type Ctx = { tenant: TenantForLinks; catalog: readonly RightDef[]; inviterName: string | null; now: Date };

/** Invites one person (email or phone) with preset roles and unit grants. */
export async function createInvitation(db: Db, actor: Actor, input: TCreateInvitationInput): Promise<TCreateInvitationOutput> {
  assertCan(actor, "members.invite");
  await enforce(db, `invites:tenant:${actor.tenantId}`, limit("invitesTenant"), { what: "invitations for this tenant" });
  const data = parseInput(ZCreateInvitationInput, input);
  const ctx = await prepare(db, actor, [data], false);
  return inTransaction(db, (tx) => createOne(tx, actor, ctx, data, ""));
}

/** Invites many people at once: every item is checked, and one failure fails the whole call (naming `items[i]`). */
export async function createInvitations(db: Db, actor: Actor, input: TCreateInvitationsInput): Promise<TCreateInvitationsOutput> {
  assertCan(actor, "members.invite");
  const { items: raw } = parseInput(ZCreateInvitationsInput, input);
  // INVITES_TENANT counts invitations, not calls: a bulk call costs one point per (well-formed, at most 1000) item.
  await enforce(db, `invites:tenant:${actor.tenantId}`, limit("invitesTenant"), { cost: Math.max(1, raw.length), what: "invitations for this tenant" });
  const items = raw.map((item, i) => withPrefix(`items[${i}].`, () => parseInput(ZCreateInvitationInput, item)));
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const key = recipientKey(item);
    const field = item.email !== undefined ? "email" : "phone";
    if (seen.has(key)) {
      const message = `${key} is listed twice in this batch (first at items[${seen.get(key)}])`;
      throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid items[${i}].${field}: ${message}`, issues: [{ path: `items[${i}].${field}`, message }] });
    }
    seen.set(key, i);
  });
  const ctx = await prepare(db, actor, items, true);
  return inTransaction(db, async (tx) => {
    const results: TCreateInvitationOutput[] = [];
    for (const [i, item] of items.entries()) results.push(await createOne(tx, actor, ctx, item, `items[${i}].`));
    return { results };
  });
}

async function prepare(db: Db, actor: Actor, items: TCreateInvitationData[], batch: boolean): Promise<Ctx> {
  const tenant = await loadTenantForInvites(db, actor.tenantId);
  items.forEach((item, i) => assertLinkBase(tenant, item.verificationBaseUrl, batch ? `items[${i}].verificationBaseUrl` : "verificationBaseUrl"));
  return { tenant, catalog: await loadCatalog(db, actor), inviterName: await inviterNameOf(db, actor), now: new Date() };
}

/** A duplicate that raced past the read checks hits the unique index: the same 409 as the checked case. */
async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(fn, { timeout: 60_000 });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "A pending invitation for this recipient already exists." });
    throw e;
  }
}

/** Re-throws an AppError with its field paths (and message) prefixed by the batch item it came from. */
function withPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw prefixed(prefix, e);
  }
}

function prefixed(prefix: string, e: unknown): unknown {
  if (!prefix || !isAppError(e)) return e;
  const issues = e.issues?.map((i) => (i.path.startsWith(prefix) ? i : { ...i, path: `${prefix}${i.path}` }));
  const first = issues?.[0];
  const userMessage = first && e.code === AppErrorCode.UNPROCESSABLE
    ? `Invalid ${first.path}: ${first.message}`
    : e.userMessage.startsWith(prefix.slice(0, -1)) ? e.userMessage : `${prefix.slice(0, -1)}: ${e.userMessage}`;
  return new AppError(e.code, { userMessage, ...(issues ? { issues } : {}), ...(e.retryAfter ? { retryAfter: e.retryAfter } : {}) });
}

async function createOne(tx: Tx, actor: Actor, ctx: Ctx, data: TCreateInvitationData, prefix: string): Promise<TCreateInvitationOutput> {
  try {
    return await createOneUnprefixed(tx, actor, ctx, data, prefix);
  } catch (e) {
    throw prefixed(prefix, e);
  }
}

async function createOneUnprefixed(tx: Tx, actor: Actor, ctx: Ctx, data: TCreateInvitationData, prefix: string): Promise<TCreateInvitationOutput> {
  const { tenant, now } = ctx;
  const key = recipientKey(data);
  // An invitation whose time ran out must not block a new one: mark it EXPIRED (releasing its pendingKey) first.
  await expireStale(tx, tenant.id, key, now);

  const existing = data.email !== undefined
    ? await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })
    : await tx.user.findFirst({ where: { phone: data.phone! }, orderBy: { id: "asc" }, select: { id: true } });
  if (existing && (await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: tenant.id, userId: existing.id } }, select: { id: true } }))) {
    throw new AppError(AppErrorCode.CONFLICT, { userMessage: `${key} is already a member of this tenant.` });
  }
  if (await tx.invitation.findUnique({ where: { tenantId_pendingKey: { tenantId: tenant.id, pendingKey: key } }, select: { id: true } })) {
    throw new AppError(AppErrorCode.CONFLICT, { userMessage: `${key} already has a pending invitation. Resend or cancel it instead.` });
  }

  const roles = data.roles.length ? data.roles : [data.kind === "CLIENT" ? DEFAULT_CLIENT_ROLE : DEFAULT_MEMBER_ROLE];
  const presets = await resolvePresets(tx, actor, ctx.catalog, { roles, unitGrants: data.unitGrants }, prefix);

  // The person gets a user record now (no password) so the admin app and seed 003 can show them by id.
  const user = existing ?? (data.email !== undefined
    ? await tx.user.create({ data: { email: data.email, ...(data.name ? { displayName: data.name } : {}) }, select: { id: true } })
    : null);

  const token = newInviteToken();
  const expiresAt = expiryFrom(tenant, now);
  const emailed = data.sendEmail && data.email !== undefined;
  const created = (await tx.invitation.create({
    data: {
      tenantId: tenant.id, kind: data.kind, email: data.email ?? null, phone: data.phone ?? null, userId: user?.id ?? null,
      pendingKey: key, tokenHash: token.hash, roles: presets.roles.map((r) => r.slug),
      unitGrants: presets.grants.map(({ roleId: _r, ...g }) => g), message: data.message ?? null, invitedById: actor.userId,
      expiresAt, sendCount: emailed ? 1 : 0, lastSentAt: emailed ? now : null,
    },
    select: INVITATION_SELECT,
  })) as InvitationRow;

  const url = inviteLink(tenant, token.raw, data.verificationBaseUrl);
  await recordAuditEvent(tx, {
    actor, tenantId: tenant.id, action: "invitation.created", targetType: "invitation", targetId: created.id,
    after: {
      email: created.email, phone: created.phone, kind: created.kind, roles: created.roles,
      unitGrants: presets.grants.map((g) => ({ unitId: g.unitId, role: g.roleSlug, permissions: g.permissions })),
      sendEmail: emailed, expiresAt: expiresAt.toISOString(),
    },
  });
  if (emailed) {
    await queueInvitationEmail(
      tx, tenant,
      { id: created.id, kind: created.kind, email: created.email!, message: created.message, expiresAt, roleTitle: presets.roles[0]?.title ?? null },
      ctx.inviterName, url,
    );
  }
  return { invitation: toInvitation(created, now), inviteUrl: emailed ? null : url };
}
