/**
 * The invitee accepts. Race-safe by one conditional update (`PENDING and unexpired` → ACCEPTED): under concurrent
 * clicks exactly one transaction claims the invitation, and only that one creates the membership (the unique
 * (tenant, user) index backs this up). The preset roles and unit grants are re-checked against the inviter's ceiling
 * as it is now (an inviter who lost the right cannot hand out access through an old link); in the same transaction
 * as the claim: the membership and its ACTIVE unit access are created, an unverified email that matches is verified
 * (the link is the proof), the audit event is written and the inviter's notice is queued. Any refusal writes nothing:
 * the invitation stays pending. Preset units archived since the invitation are skipped, never silently: the answer
 * and the audit row (`after.skippedUnits`) name them, so the person and the admins know what access did not come.
 *
 * Cost (issue 10's accept budget): one statement reads the invitee, the invitation with its tenant and inviter, the
 * membership check, the preset units with the inviter's access there, and draws the new membership's id; the checks
 * run on that (roles and rights from the tenant model cached under the tenant's accessVersion), and the inviter's
 * notice is queued as a template rendered at send time; then one statement (atomic by itself: no BEGIN/COMMIT) claims
 * the invitation and, only when the claim took, writes the membership, its roles and unit access, the profile change,
 * the audit row and the notice's delivery and job rows.
 */
import { can, systemActorFor, systemPermissionsOf, type Actor, type RequestMeta } from "../../authz/actor.ts";
import { toRoleLite } from "../../authz/load.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import { hashSecret } from "../../auth/secrets.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { appLink, invitationAcceptedSubject, type TTemplatedEmailMessage } from "../../email/index.ts";
import { queueEmailSql } from "../../email/queue-email.ts";
import { AppError, AppErrorCode, isAppError } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import {
  auditSql, effectiveStatus, isUniqueViolation, presetUnitsOf, presetUnitsSql, resolvePresets, storedGrants, ts, type InvitationRow,
  type PresetUnits, type ResolvedPresets,
} from "./invitation-record.ts";
import { ZTokenInput, type TAcceptInvitationOutput, type TSkippedUnit } from "./invitations.schema.ts";
import { assertRecipient, invalidLink, type Invitee, type TokenInvitation } from "./token-lookup.ts";

const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

const inviterLostRights = () =>
  new AppError(AppErrorCode.FORBIDDEN, {
    userMessage: "This invitation can no longer be accepted: the person who sent it no longer has the right to grant this access. Ask for a new invitation.",
  });

export async function acceptInvitation(db: Db, input: { userId: number; rawToken: string }, meta: RequestMeta = NO_META): Promise<TAcceptInvitationOutput> {
  const { rawToken } = parseInput(ZTokenInput, { rawToken: input.rawToken });
  const now = new Date();
  const facts = await loadAcceptFacts(db, input.userId, { tokenHash: hashSecret(rawToken) }, now);
  const inv = facts.invitation && effectiveStatus(facts.invitation, now) === "PENDING" ? facts.invitation : null;
  if (!inv) throw invalidLink();
  const user = liveInvitee(facts.invitee);
  return acceptLoadedInvitation(db, { ...facts, invitation: inv }, user, { now, meta, via: "link", gone: invalidLink });
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

type InviterMember = {
  id: number; status: "ACTIVE" | "SUSPENDED"; hasFullAccess: boolean; disabled: boolean;
  roles: Array<{ slug: string; weight: number; defaults: unknown }>;
};

/** What the accept needs, read in one statement (loadAcceptFacts). */
export type AcceptFacts = {
  invitee: Invitee | null;
  invitation: TokenInvitation | null;
  accessVersion: number | null;
  isMember: boolean;
  inviter: InviterMember | null;
  units: PresetUnits;
  /** Drawn from the sequence up front: the notice links to the member and is written in the claim's own statement. */
  membershipId: number | null;
};

type FactsRow = {
  uId: number | null; uEmail: string; emailVerifiedAt: Date | null; uPhone: string | null; disabledAt: Date | null;
  firstName: string | null; lastName: string | null; displayName: string | null;
  id: number | null; tenantId: number; kind: InvitationRow["kind"]; status: InvitationRow["status"]; email: string | null; phone: string | null;
  roles: string[]; unitGrants: unknown; message: string | null; createdAt: Date; expiresAt: Date; sendCount: number; lastSentAt: Date | null;
  invitedById: number | null; inviteeUserId: number | null; invitedBy: InvitationRow["invitedBy"];
  tenantSlug: string; tenantName: string; tenantStatus: "ACTIVE" | "SUSPENDED"; accessVersion: number;
  isMember: boolean; inviter: InviterMember | null; units: unknown; membershipId: number | null;
};

/**
 * The invitee `userId` and the invitation found by id or token hash (whatever its state: the caller judges it), with
 * everything the accept rules read. Outside any transaction: the claim re-checks what matters under its row lock.
 */
export async function loadAcceptFacts(db: Db, userId: number, lookup: { id: number } | { tokenHash: string }, now: Date): Promise<AcceptFacts> {
  // By id (the account page: the invitee's own invitation, the tenant unknown) through the (userId, status) index, as
  // list-my-invitations.ts finds them; by the token's hash through its index.
  const where = "id" in lookup ? Prisma.sql`"id" = ${lookup.id} AND "userId" = ${userId}` : Prisma.sql`"tokenHash" = ${lookup.tokenHash}`;
  const grantUnits = Prisma.sql`ARRAY(SELECT (g->>'unitId')::int FROM jsonb_array_elements(CASE WHEN jsonb_typeof(i."unitGrants") = 'array' THEN i."unitGrants" ELSE '[]'::jsonb END) g
                                        WHERE jsonb_typeof(g->'unitId') = 'number')`;
  const inviterMembership = Prisma.sql`(SELECT m."id" FROM "Membership" m WHERE m."tenantId" = i."tenantId" AND m."userId" = i."invitedById")`;
  const rows = await db.$queryRaw<FactsRow[]>`
    WITH i AS (SELECT * FROM "Invitation" WHERE ${where})
    SELECT u."id" AS "uId", u."email" AS "uEmail", u."emailVerifiedAt", u."phone" AS "uPhone", u."disabledAt", u."firstName", u."lastName", u."displayName",
           i."id", i."tenantId", i."kind"::text AS kind, i."status"::text AS status, i."email", i."phone", i."roles", i."unitGrants", i."message",
           i."createdAt", i."expiresAt", i."sendCount", i."lastSentAt", i."invitedById", i."userId" AS "inviteeUserId",
           (SELECT json_build_object('id', b."id", 'email', b."email", 'firstName', b."firstName", 'lastName', b."lastName", 'displayName', b."displayName")
              FROM "User" b WHERE b."id" = i."invitedById") AS "invitedBy",
           t."slug" AS "tenantSlug", t."name" AS "tenantName", t."status"::text AS "tenantStatus", t."accessVersion",
           EXISTS (SELECT 1 FROM "Membership" m WHERE m."tenantId" = i."tenantId" AND m."userId" = u."id") AS "isMember",
           (SELECT json_build_object('id', m."id", 'status', m."status", 'hasFullAccess', m."hasFullAccess", 'disabled', b."disabledAt" IS NOT NULL,
                   'roles', COALESCE((SELECT json_agg(json_build_object('slug', r."slug", 'weight', r."weight", 'defaults', r."defaults"))
                                        FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r."id" = mr."roleId"
                                       WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m."id"), '[]'::json))
              FROM "Membership" m JOIN "User" b ON b."id" = m."userId" WHERE m."tenantId" = i."tenantId" AND m."userId" = i."invitedById") AS inviter,
           CASE WHEN i."id" IS NULL THEN '[]'::json ELSE ${presetUnitsSql(Prisma.sql`i."tenantId"`, grantUnits, inviterMembership)} END AS units,
           CASE WHEN i."id" IS NOT NULL AND i."status" = 'PENDING' AND i."expiresAt" > ${ts(now)}
                THEN nextval(pg_get_serial_sequence('"Membership"', 'id'))::int END AS "membershipId"
      FROM (SELECT ${userId}::int AS id) me
      LEFT JOIN "User" u ON u."id" = me.id
      LEFT JOIN i ON TRUE
      LEFT JOIN "Tenant" t ON t."id" = i."tenantId"`;
  const r = rows[0]!;
  const invitee: Invitee | null = r.uId === null ? null : {
    id: r.uId, email: r.uEmail, emailVerifiedAt: r.emailVerifiedAt, phone: r.uPhone, disabledAt: r.disabledAt,
    firstName: r.firstName, lastName: r.lastName, displayName: r.displayName,
  };
  const invitation: TokenInvitation | null = r.id === null ? null : {
    id: r.id, tenantId: r.tenantId, kind: r.kind, status: r.status, email: r.email, phone: r.phone, roles: r.roles, unitGrants: r.unitGrants,
    message: r.message, createdAt: r.createdAt, expiresAt: r.expiresAt, sendCount: r.sendCount, lastSentAt: r.lastSentAt,
    invitedById: r.invitedById, userId: r.inviteeUserId, invitedBy: r.invitedBy,
    tenant: { id: r.tenantId, slug: r.tenantSlug, name: r.tenantName, status: r.tenantStatus },
  };
  return {
    invitee, invitation, accessVersion: r.id === null ? null : r.accessVersion, isMember: r.isMember, inviter: r.inviter,
    units: presetUnitsOf(r.units), membershipId: r.membershipId,
  };
}

/** The signed-in invitee, or UNAUTHORIZED when the account is gone or disabled (loadInvitee's rule). */
export function liveInvitee(user: Invitee | null): Invitee {
  if (!user || user.disabledAt) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  return user;
}

/**
 * Internal: the accept rules once the live invitation and the invitee are loaded. Shared by the token path
 * (acceptInvitation) and the id path (acceptMyInvitation) so the two cannot drift apart.
 */
export async function acceptLoadedInvitation(
  db: Db,
  facts: AcceptFacts & { invitation: TokenInvitation },
  user: Invitee,
  ctx: AcceptContext,
): Promise<TAcceptInvitationOutput> {
  const { now, meta } = ctx;
  const inv = facts.invitation;
  assertRecipient(inv, user);
  if (inv.tenant.status !== "ACTIVE") {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: `${inv.tenant.name} is suspended; its invitations cannot be accepted now.` });
  }
  const alreadyMember = () => new AppError(AppErrorCode.CONFLICT, { userMessage: `You are already a member of ${inv.tenant.name}.` });
  if (facts.isMember) throw alreadyMember();
  const membershipId = facts.membershipId;
  if (membershipId === null) throw ctx.gone();

  const { presets, skippedUnits } = await presetsAtAcceptance(db, facts);
  // Only the link proves the mailbox or the phone; the account page changes no profile data.
  const verify = ctx.via === "link" && inv.email !== null && !user.emailVerifiedAt;
  const addPhone = ctx.via === "link" && inv.phone !== null && user.phone !== inv.phone ? inv.phone : null;

  // Rendered by the sendEmail job at send time, not in this request.
  let notice: Omit<TTemplatedEmailMessage, "refId"> | null = null;
  if (inv.invitedBy) {
    const props = {
      tenantName: inv.tenant.name, inviteeName: user.displayName || [user.firstName, user.lastName].filter(Boolean).join(" ") || null,
      inviteeEmail: user.email, memberUrl: appLink(`/t/${inv.tenant.slug}/members/${membershipId}`),
    };
    notice = {
      subject: invitationAcceptedSubject(props), template: { name: "invitation_accepted", props },
      to: inv.invitedBy.email, tenantId: inv.tenantId, kind: "invitation_accepted", refType: "membership",
    };
  }

  const audit = auditSql({
    actor: { kind: "user", userId: user.id, tokenId: null, meta }, tenantId: inv.tenantId, action: "invitation.accepted", targetType: "invitation",
    after: {
      membershipId, userId: user.id, kind: inv.kind, roles: presets.roles.map((r) => r.slug),
      unitGrants: presets.grants.map((g) => ({ unitId: g.unitId, role: g.roleSlug, permissions: g.permissions })),
      ...(verify ? { emailVerified: true } : {}), ...(addPhone !== null ? { phoneAdded: addPhone } : {}),
      ...(ctx.via === "account" ? { via: "account" } : {}),
      skippedUnits,
    },
  }, { from: Prisma.sql`claim`, targetId: Prisma.sql`claim."id"`, now });
  const grants = presets.grants.map((g) => ({ unitId: g.unitId, roleId: g.roleId, overrides: g.permissions, staffId: g.staffId, position: g.position }));
  const profile = verify || addPhone !== null
    ? Prisma.sql`, profile AS (
        UPDATE "User" SET "emailVerifiedAt" = CASE WHEN ${verify}::boolean THEN ${ts(now)} ELSE "emailVerifiedAt" END,
               "phone" = COALESCE(${addPhone}::text, "phone"), "updatedAt" = ${ts(now)}
          FROM claim WHERE "User"."id" = ${user.id}
        RETURNING "User"."id"
      )`
    : Prisma.empty;
  const email = notice ? Prisma.sql`, ${queueEmailSql(notice, { from: Prisma.sql`mem`, refId: Prisma.sql`mem."id"`, now })}` : Prisma.empty;

  // One statement, atomic on its own (no BEGIN/COMMIT). The claim: exactly one concurrent statement updates the row;
  // the others wait on its lock, then match nothing, and every insert below reads from the claim, so theirs write nothing.
  let rows: { id: number | null }[];
  try {
    rows = await db.$queryRaw<{ id: number | null }[]>`
        WITH claim AS (
          UPDATE "Invitation" SET "status" = 'ACCEPTED', "pendingKey" = NULL, "acceptedAt" = ${ts(now)}, "decidedAt" = ${ts(now)},
                 "userId" = ${user.id}, "updatedAt" = ${ts(now)}
           WHERE "tenantId" = ${inv.tenantId} AND "id" = ${inv.id} AND "status" = 'PENDING' AND "expiresAt" > ${ts(now)}
          RETURNING "id"
        ), mem AS (
          INSERT INTO "Membership" ("id", "tenantId", "userId", "status", "kind", "hasFullAccess", "createdAt", "updatedAt")
          SELECT ${membershipId}::int, ${inv.tenantId}::int, ${user.id}::int, 'ACTIVE', ${inv.kind}::"MemberKind", FALSE, ${ts(now)}, ${ts(now)} FROM claim
          RETURNING "id"
        ), mem_roles AS (
          INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId")
          SELECT mem."id", r.id, ${inv.tenantId}::int FROM mem, unnest(${presets.roles.map((r) => r.id)}::int[]) AS r(id)
          RETURNING "roleId"
        ), unit_access AS (
          INSERT INTO "UnitAccess" ("tenantId", "membershipId", "unitId", "roleId", "status", "overrides", "staffId", "position", "acceptedAt", "createdAt", "updatedAt")
          SELECT ${inv.tenantId}::int, mem."id", g."unitId", g."roleId", 'ACTIVE', g."overrides", g."staffId", g."position", ${ts(now)}, ${ts(now)}, ${ts(now)}
            FROM mem, jsonb_to_recordset(${JSON.stringify(grants)}::jsonb) AS g("unitId" int, "roleId" int, "overrides" jsonb, "staffId" int, "position" text)
          RETURNING "id"
        )${profile}, ${audit}${email}
        SELECT (SELECT "id" FROM claim) AS id`;
  } catch (e) {
    // Two invitations of one tenant accepted at once: the (tenant, user) index lets one membership through.
    if (isUniqueViolation(e)) throw alreadyMember();
    throw e;
  }
  if (rows[0]?.id == null) throw ctx.gone();
  return { tenantId: inv.tenantId, tenantSlug: inv.tenant.slug, membershipId, invitationId: inv.id, skippedUnits };
}

/**
 * The presets as they can be granted now. Units archived since the invitation are left out (nobody gets access to an
 * archived unit) and returned as `skippedUnits`. With an inviter who still exists, their current rights are the
 * ceiling: no longer an active member, no longer allowed to invite, or no longer allowed to grant a preset → refused.
 * An invitation made by an integration or the system (no inviter person) keeps the ceiling it was checked against at
 * creation.
 */
async function presetsAtAcceptance(db: Db, facts: AcceptFacts & { invitation: TokenInvitation }): Promise<{ presets: ResolvedPresets; skippedUnits: TSkippedUnit[] }> {
  const inv = facts.invitation;
  const grants = storedGrants(inv.unitGrants);
  const live = new Set([...facts.units.values()].filter((u) => !u.archived).map((u) => u.id));
  // In the invitation's own order; a unit that no longer exists at all cannot be named and is left out like before.
  const skippedUnits = grants.flatMap((g) => {
    const u = facts.units.get(g.unitId);
    return u && u.archived ? [{ id: u.id, name: u.name, reason: "archived" as const }] : [];
  });
  const input = {
    roles: inv.roles,
    unitGrants: grants.filter((g) => live.has(g.unitId)).map((g) => ({
      unitId: g.unitId, role: g.roleSlug, permissions: Object.entries(g.permissions).map(([slug, value]) => ({ slug, value })), staffId: g.staffId, position: g.position,
    })),
  };
  const ceilingActor = inv.invitedById === null ? systemActorFor(inv.tenant) : inviterActor(facts);
  if (!ceilingActor) throw inviterLostRights();
  const model = await tenantModel(db, inv.tenantId, facts.accessVersion);
  try {
    return { presets: await resolvePresets(db, ceilingActor, model, facts.units, input), skippedUnits };
  } catch (e) {
    if (isAppError(e)) throw inviterLostRights();
    throw e;
  }
}

/** The inviter as an actor of the tenant now, or null when they are no longer an active member who may invite. */
function inviterActor(facts: AcceptFacts & { invitation: TokenInvitation }): Actor | null {
  const inv = facts.invitation;
  const m = facts.inviter;
  if (!m || m.status !== "ACTIVE" || m.disabled) return null;
  const tenantRoles = m.roles.map(toRoleLite);
  const actor: Actor = {
    kind: "user", tenantId: inv.tenantId, tenantSlug: inv.tenant.slug, userId: inv.invitedById, membershipId: m.id, tokenId: null, scopes: null,
    roles: tenantRoles.map((r) => r.slug), hasFullAccess: m.hasFullAccess, permissions: systemPermissionsOf(m.roles, m.hasFullAccess), meta: NO_META,
    accessVersion: facts.accessVersion, tenantRoles,
  };
  return can(actor, "members.invite") ? actor : null;
}
