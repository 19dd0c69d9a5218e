/**
 * Invites people into the actor's tenant, one or many (all-or-nothing, per-item results). Each invitation carries
 * preset tenant roles and unit grants checked against the inviter's ceiling, a token stored only as its hash, and an
 * expiry from the tenant's settings. The email is queued in the same transaction and goes out after commit; with
 * sendEmail false (or a phone invitation, there being no SMS channel) the accept link is returned once instead.
 *
 * Cost (issue 10's invite budget): one statement reads everything the checks need (tenant settings, the inviter's
 * name, the recipient's account, membership and pending invitation, the preset units and the inviter's access there);
 * roles and rights come from the tenant model cached under the request's accessVersion; the email is queued as a
 * template and its props and rendered by the sendEmail job at send time (rendering takes milliseconds the request, and
 * a transaction holding its locks, would otherwise spend); then one statement
 * writes the account (if new), the invitation, its audit row and the email's delivery and job rows, atomic on its own
 * (no BEGIN/COMMIT unless a stale invitation must be expired first, in the same transaction). A duplicate that
 * races past the read hits the (tenantId, pendingKey) unique index: the same 409 as the checked case.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { DEFAULT_CLIENT_ROLE, DEFAULT_MEMBER_ROLE } from "../../authz/roles.ts";
import { tenantModel, type TenantModel } from "../../authz/tenant-model.ts";
import type { Db, Tx } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { queueEmailSql } from "../../email/queue-email.ts";
import type { TTemplatedEmailMessage } from "../../email/index.ts";
import { AppError, AppErrorCode, isAppError } from "../../errors.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import {
  assertLinkBase, auditSql, expireStaleFor, expiryFrom, inviteLink, isUniqueViolation, newInviteToken, personName, presetUnitsOf,
  presetUnitsSql, recipientKey, invitationEmailTemplate, resolvePresets, toInvitation, ts, type InvitationRow, type PresetUnits,
  type ResolvedPresets, type TenantForLinks,
} from "./invitation-record.ts";
import {
  ZCreateInvitationInput, ZCreateInvitationsInput, type TCreateInvitationData, type TCreateInvitationInput,
  type TCreateInvitationOutput, type TCreateInvitationsInput, type TCreateInvitationsOutput,
} from "./invitations.schema.ts";

/** Invites one person (email or phone) with preset roles and unit grants. */
export async function createInvitation(db: Db, actor: Actor, input: TCreateInvitationInput): Promise<TCreateInvitationOutput> {
  assertCan(actor, "members.invite");
  await enforce(db, `invites:tenant:${actor.tenantId}`, limit("invitesTenant"), { what: "invitations for this tenant" });
  const data = parseInput(ZCreateInvitationInput, input);
  const now = new Date();
  const facts = await loadFacts(db, actor, data, now);
  assertLinkBase(facts.tenant, data.verificationBaseUrl, "verificationBaseUrl");
  const planned = await plan(db, actor, await tenantModel(db, actor.tenantId, actor.accessVersion), data, facts, now, "");
  // One statement is its own transaction: BEGIN and COMMIT only when a stale invitation must be expired first.
  if (planned.facts.pending !== "stale") return refusingDuplicates(() => write(db, actor, planned, now));
  return inTransaction(db, (tx) => write(tx, actor, planned, now));
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
  const now = new Date();
  const first = await loadFacts(db, actor, items[0]!, now);
  items.forEach((item, i) => assertLinkBase(first.tenant, item.verificationBaseUrl, `items[${i}].verificationBaseUrl`));
  const model = await tenantModel(db, actor.tenantId, actor.accessVersion);
  const planned: Planned[] = [];
  for (const [i, item] of items.entries()) {
    const facts = i === 0 ? first : await loadFacts(db, actor, item, now);
    planned.push(await plan(db, actor, model, item, facts, now, `items[${i}].`));
  }
  return inTransaction(db, async (tx) => {
    const results: TCreateInvitationOutput[] = [];
    for (const p of planned) results.push(await write(tx, actor, p, now));
    return { results };
  });
}

type Inviter = { id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null };

/** What one statement tells about an invitation to be made (loadFacts). */
export type Facts = {
  tenant: TenantForLinks;
  inviter: Inviter | null;
  existingUserId: number | null;
  isMember: boolean;
  /** The recipient's invitation holding the pendingKey: live (a 409) or stale (expired first). */
  pending: "live" | "stale" | null;
  units: PresetUnits;
};

type FactsRow = {
  tenant: TenantForLinks;
  inviter: Inviter | null;
  existingUserId: number | null;
  isMember: boolean;
  pendingLive: boolean | null;
  units: unknown;
};

export async function loadFacts(db: Db, actor: Actor, data: TCreateInvitationData, now: Date): Promise<Facts> {
  const key = recipientKey(data);
  const person = data.email !== undefined
    ? Prisma.sql`SELECT u."id" FROM "User" u WHERE u."email" = ${data.email}`
    : Prisma.sql`SELECT u."id" FROM "User" u WHERE u."phone" = ${data.phone!} ORDER BY u."id" LIMIT 1`;
  const rows = await db.$queryRaw<FactsRow[]>`
    WITH person AS (${person})
    SELECT json_build_object('id', t."id", 'name', t."name", 'status', t."status", 'invitationTtlDays', t."invitationTtlDays",
             'allowedLinkOrigins', t."allowedLinkOrigins") AS tenant,
           (SELECT json_build_object('id', u."id", 'email', u."email", 'firstName', u."firstName", 'lastName', u."lastName", 'displayName', u."displayName")
              FROM "User" u WHERE u."id" = ${actor.userId}::int) AS inviter,
           (SELECT "id" FROM person) AS "existingUserId",
           EXISTS (SELECT 1 FROM "Membership" m JOIN person p ON m."userId" = p."id" WHERE m."tenantId" = t."id") AS "isMember",
           (SELECT i."expiresAt" > ${ts(now)} FROM "Invitation" i WHERE i."tenantId" = t."id" AND i."pendingKey" = ${key}) AS "pendingLive",
           ${presetUnitsSql(Prisma.sql`t."id"`, Prisma.sql`${data.unitGrants.map((g) => g.unitId)}::int[]`, Prisma.sql`${actor.membershipId}::int`)} AS units
      FROM "Tenant" t WHERE t."id" = ${actor.tenantId}`;
  const row = rows[0];
  if (!row) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Tenant not found." });
  return {
    tenant: row.tenant, inviter: row.inviter, existingUserId: row.existingUserId, isMember: row.isMember,
    pending: row.pendingLive === null ? null : row.pendingLive ? "live" : "stale", units: presetUnitsOf(row.units),
  };
}

/** One invitation checked and ready to write: everything but the statement that writes it. */
export type Planned = {
  data: TCreateInvitationData;
  facts: Facts;
  presets: ResolvedPresets;
  token: { raw: string; hash: string };
  expiresAt: Date;
  emailed: boolean;
  url: string;
  email: Omit<TTemplatedEmailMessage, "refId"> | null;
};

/** `known`: presets already resolved for the same input (a paste checks them once for all its addresses). */
export async function plan(
  db: Db, actor: Actor, model: TenantModel, data: TCreateInvitationData, facts: Facts, now: Date, prefix: string, known?: ResolvedPresets,
): Promise<Planned> {
  try {
    const key = recipientKey(data);
    if (facts.isMember) throw new AppError(AppErrorCode.CONFLICT, { userMessage: `${key} is already a member of this tenant.` });
    if (facts.pending === "live") {
      throw new AppError(AppErrorCode.CONFLICT, { userMessage: `${key} already has a pending invitation. Resend or cancel it instead.` });
    }
    const roles = data.roles.length ? data.roles : [data.kind === "CLIENT" ? DEFAULT_CLIENT_ROLE : DEFAULT_MEMBER_ROLE];
    const presets = known ?? await resolvePresets(db, actor, model, facts.units, { roles, unitGrants: data.unitGrants }, prefix);
    const token = newInviteToken();
    const expiresAt = expiryFrom(facts.tenant, now);
    const emailed = data.sendEmail && data.email !== undefined;
    const url = inviteLink(facts.tenant, token.raw, data.verificationBaseUrl);
    const email = emailed
      ? invitationEmailTemplate(
        facts.tenant,
        { kind: data.kind, email: data.email!, message: data.message ?? null, expiresAt, roleTitle: presets.roles[0]?.title ?? null },
        facts.inviter ? personName(facts.inviter) : null, url,
      )
      : null;
    return { data, facts, presets, token, expiresAt, emailed, url, email };
  } catch (e) {
    throw prefixed(prefix, e);
  }
}

/** Writes one planned invitation: (stale one expired first), account, invitation, audit, delivery and job. */
export async function write(tx: Db | Tx, actor: Actor, p: Planned, now: Date): Promise<TCreateInvitationOutput> {
  const { data, facts, presets, token, expiresAt, emailed } = p;
  const key = recipientKey(data);
  const tenantId = facts.tenant.id;
  if (facts.pending === "stale") await expireStaleFor(tx as Tx, tenantId, key, now);
  const unitGrants = presets.grants.map(({ roleId: _r, ...g }) => g);
  const slugs = presets.roles.map((r) => r.slug);
  // The person gets a user record now (no password) so the admin app and seed 003 can show them by id.
  const needUser = facts.existingUserId === null && data.email !== undefined;
  const audit = auditSql({
    actor, tenantId, action: "invitation.created", targetType: "invitation",
    after: {
      email: data.email ?? null, phone: data.phone ?? null, kind: data.kind, roles: slugs,
      unitGrants: presets.grants.map((g) => ({ unitId: g.unitId, role: g.roleSlug, permissions: g.permissions })),
      sendEmail: emailed, expiresAt: expiresAt.toISOString(),
    },
  }, { from: Prisma.sql`inv`, targetId: Prisma.sql`inv."id"`, now });
  const email = p.email ? Prisma.sql`, ${queueEmailSql(p.email, { from: Prisma.sql`inv`, refId: Prisma.sql`inv."id"`, now })}` : Prisma.empty;
  const rows = await tx.$queryRaw<{ id: number; userId: number | null }[]>`
    WITH usr AS (
      INSERT INTO "User" ("email", "displayName", "createdAt", "updatedAt")
      SELECT ${data.email ?? null}::text, ${data.name || null}::text, ${ts(now)}, ${ts(now)} WHERE ${needUser}::boolean
      ON CONFLICT ("email") DO NOTHING
      RETURNING "id"
    ), inv AS (
      INSERT INTO "Invitation" ("tenantId", "kind", "email", "phone", "userId", "status", "pendingKey", "tokenHash", "roles", "unitGrants",
        "message", "invitedById", "expiresAt", "sendCount", "lastSentAt", "createdAt", "updatedAt")
      SELECT ${tenantId}::int, ${data.kind}::"MemberKind", ${data.email ?? null}::text, ${data.phone ?? null}::text,
             COALESCE((SELECT "id" FROM usr), ${facts.existingUserId}::int), 'PENDING', ${key}, ${token.hash}, ${slugs}::text[],
             ${JSON.stringify(unitGrants)}::jsonb, ${data.message ?? null}::text, ${actor.userId}::int, ${ts(expiresAt)},
             ${emailed ? 1 : 0}::int, ${emailed ? ts(now) : Prisma.sql`NULL`}, ${ts(now)}, ${ts(now)}
      RETURNING "id", "userId"
    ), ${audit}${email}
    SELECT "id", "userId" FROM inv`;
  const created = rows[0]!;
  const row: InvitationRow = {
    id: created.id, tenantId, kind: data.kind, status: "PENDING", email: data.email ?? null, phone: data.phone ?? null, roles: slugs,
    unitGrants, message: data.message ?? null, createdAt: now, expiresAt, sendCount: emailed ? 1 : 0, lastSentAt: emailed ? now : null,
    invitedById: actor.userId, userId: created.userId, invitedBy: facts.inviter,
  };
  return { invitation: toInvitation(row, now), inviteUrl: emailed ? null : p.url };
}

/** A duplicate that raced past the read checks hits the unique index: the same 409 as the checked case. */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return refusingDuplicates(() => db.$transaction(fn, { timeout: 60_000 }));
}

export async function refusingDuplicates<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
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
