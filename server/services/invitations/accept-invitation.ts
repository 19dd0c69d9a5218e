/**
 * The invitee accepts. Race-safe by one conditional update (`PENDING and unexpired` → ACCEPTED): under concurrent
 * clicks exactly one transaction claims the invitation, and only that one creates the membership (the unique
 * (tenant, user) index backs this up). Inside the same transaction: the preset roles and unit grants are re-checked
 * against the inviter's ceiling as it is now (an inviter who lost the right cannot hand out access through an old
 * link), the membership and its ACTIVE unit access are created, an unverified email that matches is verified (the link
 * is the proof), the audit event is written and the inviter's notice is queued. Any refusal rolls everything back:
 * the invitation stays pending. Preset units archived since the invitation are skipped, never silently: the answer
 * and the audit row (`after.skippedUnits`) name them, so the person and the admins know what access did not come.
 */
import { can, systemActorFor, systemPermissionsOf, type Actor, type RequestMeta } from "../../authz/actor.ts";
import { loadCatalog } from "../../authz/load.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Tx } from "../../db/client.ts";
import type { Db } from "../../db/client.ts";
import { appLink, invitationAcceptedEmail, queueEmail } from "../../email/index.ts";
import { AppError, AppErrorCode, isAppError } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { resolvePresets, storedGrants, type ResolvedPresets } from "./invitation-record.ts";
import { ZTokenInput, type TAcceptInvitationOutput, type TSkippedUnit } from "./invitations.schema.ts";
import { assertRecipient, findLiveByToken, invalidLink, loadInvitee, type Invitee, type TokenInvitation } from "./token-lookup.ts";

const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

const inviterLostRights = () =>
  new AppError(AppErrorCode.FORBIDDEN, {
    userMessage: "This invitation can no longer be accepted: the person who sent it no longer has the right to grant this access. Ask for a new invitation.",
  });

export async function acceptInvitation(db: Db, input: { userId: number; rawToken: string }, meta: RequestMeta = NO_META): Promise<TAcceptInvitationOutput> {
  const { rawToken } = parseInput(ZTokenInput, { rawToken: input.rawToken });
  return db.$transaction(async (tx) => {
    const now = new Date();
    const inv = await findLiveByToken(tx, rawToken, now);
    if (!inv) throw invalidLink();
    const user = await loadInvitee(tx, input.userId);
    return acceptLoadedInvitation(tx, inv, user, { now, meta, via: "link", gone: invalidLink });
  });
}

/**
 * How the invitee reached the invitation. `link`: the raw token from the email or text, which proves the mailbox or
 * phone (so an unverified matching email is verified and an invited phone is added to the profile). `account`: the
 * account page, found by id among the signed-in user's own invitations; no proof beyond the account, so no profile
 * change.
 */
export type AcceptVia = "link" | "account";

export type AcceptContext = {
  now: Date;
  meta: RequestMeta;
  via: AcceptVia;
  /** The refusal when the invitation is no longer live at the claim (spent, cancelled, expired meanwhile). */
  gone: () => AppError;
};

/**
 * Internal: the accept rules once the live invitation and the invitee are loaded inside `tx`. Shared by the token
 * path (acceptInvitation) and the id path (acceptMyInvitation) so the two cannot drift apart.
 */
export async function acceptLoadedInvitation(tx: Tx, inv: TokenInvitation, user: Invitee, ctx: AcceptContext): Promise<TAcceptInvitationOutput> {
  const { now, meta } = ctx;
  assertRecipient(inv, user);
  if (inv.tenant.status !== "ACTIVE") {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: `${inv.tenant.name} is suspended; its invitations cannot be accepted now.` });
  }
  if (await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: inv.tenantId, userId: user.id } }, select: { id: true } })) {
    throw new AppError(AppErrorCode.CONFLICT, { userMessage: `You are already a member of ${inv.tenant.name}.` });
  }

  // The claim: exactly one concurrent transaction sees count 1; the others wait on the row lock and then see 0.
  const claimed = await tx.invitation.updateMany({
    where: { id: inv.id, status: "PENDING", expiresAt: { gt: now } },
    data: { status: "ACCEPTED", pendingKey: null, acceptedAt: now, decidedAt: now, userId: user.id },
  });
  if (claimed.count !== 1) throw ctx.gone();

  const { presets, skippedUnits } = await presetsAtAcceptance(tx, inv);
  const membership = await tx.membership.create({
    data: {
      tenantId: inv.tenantId, userId: user.id, kind: inv.kind,
      roles: { create: presets.roles.map((r) => ({ roleId: r.id })) },
      unitAccess: {
        create: presets.grants.map((g) => ({
          unitId: g.unitId, roleId: g.roleId, status: "ACTIVE" as const, overrides: g.permissions, staffId: g.staffId, position: g.position, acceptedAt: now,
        })),
      },
    },
    select: { id: true },
  });
  // Only the link proves the mailbox or the phone; the account page changes no profile data.
  const profile = ctx.via !== "link" ? {} : {
    ...(inv.email !== null && !user.emailVerifiedAt ? { emailVerifiedAt: now } : {}),
    ...(inv.phone !== null && user.phone !== inv.phone ? { phone: inv.phone } : {}),
  };
  if (Object.keys(profile).length) await tx.user.update({ where: { id: user.id }, data: profile });

  await recordAuditEvent(tx, {
    actor: { kind: "user", userId: user.id, tokenId: null, meta }, tenantId: inv.tenantId, action: "invitation.accepted",
    targetType: "invitation", targetId: inv.id,
    after: {
      membershipId: membership.id, userId: user.id, kind: inv.kind, roles: presets.roles.map((r) => r.slug),
      unitGrants: presets.grants.map((g) => ({ unitId: g.unitId, role: g.roleSlug, permissions: g.permissions })),
      ...("emailVerifiedAt" in profile ? { emailVerified: true } : {}), ...("phone" in profile ? { phoneAdded: profile.phone } : {}),
      ...(ctx.via === "account" ? { via: "account" } : {}),
      skippedUnits,
    },
  });
  if (inv.invitedBy) {
    const rendered = await invitationAcceptedEmail({
      tenantName: inv.tenant.name, inviteeName: user.displayName || [user.firstName, user.lastName].filter(Boolean).join(" ") || null,
      inviteeEmail: user.email, memberUrl: appLink(`/t/${inv.tenant.slug}/members/${membership.id}`),
    });
    await queueEmail(tx, { ...rendered, to: inv.invitedBy.email, tenantId: inv.tenantId, kind: "invitation_accepted", refType: "membership", refId: String(membership.id) });
  }
  return { tenantId: inv.tenantId, tenantSlug: inv.tenant.slug, membershipId: membership.id, invitationId: inv.id, skippedUnits };
}

/**
 * The presets as they can be granted now. Units archived since the invitation are left out (nobody gets access to an
 * archived unit) and returned as `skippedUnits`. With an inviter who still exists, their current rights are the
 * ceiling: no longer an active member, no longer allowed to invite, or no longer allowed to grant a preset → refused.
 * An invitation made by an integration or the system (no inviter person) keeps the ceiling it was checked against at
 * creation.
 */
async function presetsAtAcceptance(tx: Tx, inv: TokenInvitation): Promise<{ presets: ResolvedPresets; skippedUnits: TSkippedUnit[] }> {
  const grants = storedGrants(inv.unitGrants);
  const units = await tx.unit.findMany({
    where: { tenantId: inv.tenantId, id: { in: grants.map((g) => g.unitId) } }, select: { id: true, name: true, archivedAt: true },
  });
  const live = new Set(units.filter((u) => u.archivedAt === null).map((u) => u.id));
  const byId = new Map(units.map((u) => [u.id, u]));
  // In the invitation's own order; a unit that no longer exists at all cannot be named and is left out like before.
  const skippedUnits = grants.flatMap((g) => {
    const u = byId.get(g.unitId);
    return u && u.archivedAt !== null ? [{ id: u.id, name: u.name, reason: "archived" as const }] : [];
  });
  const input = {
    roles: inv.roles,
    unitGrants: grants.filter((g) => live.has(g.unitId)).map((g) => ({
      unitId: g.unitId, role: g.roleSlug, permissions: Object.entries(g.permissions).map(([slug, value]) => ({ slug, value })), staffId: g.staffId, position: g.position,
    })),
  };
  const ceilingActor = inv.invitedById === null ? systemActorFor(inv.tenant) : await inviterActor(tx, inv);
  if (!ceilingActor) throw inviterLostRights();
  try {
    return { presets: await resolvePresets(tx, ceilingActor, await loadCatalog(tx, inv.tenantId), input), skippedUnits };
  } catch (e) {
    if (isAppError(e)) throw inviterLostRights();
    throw e;
  }
}

/** The inviter as an actor of the tenant now, or null when they are no longer an active member who may invite. */
async function inviterActor(tx: Tx, inv: TokenInvitation): Promise<Actor | null> {
  const m = await tx.membership.findUnique({
    where: { tenantId_userId: { tenantId: inv.tenantId, userId: inv.invitedById! } },
    select: { id: true, status: true, hasFullAccess: true, user: { select: { disabledAt: true } }, roles: { select: { role: { select: { slug: true, defaults: true } } } } },
  });
  if (!m || m.status !== "ACTIVE" || m.user.disabledAt) return null;
  const roles = m.roles.map((r) => r.role);
  const actor: Actor = {
    kind: "user", tenantId: inv.tenantId, tenantSlug: inv.tenant.slug, userId: inv.invitedById, membershipId: m.id, tokenId: null, scopes: null,
    roles: roles.map((r) => r.slug), hasFullAccess: m.hasFullAccess, permissions: systemPermissionsOf(roles, m.hasFullAccess), meta: NO_META,
  };
  return can(actor, "members.invite") ? actor : null;
}

