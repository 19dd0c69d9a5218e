/**
 * The world the guarantee sweeps share (tests/integration/sweep-*.test.ts): two tenants built through the real
 * services, each with units, one member per built-in role, a pending invitation, a pending join request, a custom
 * role, a partner token and tokens for every person. Everything tenant B owns carries the marker `MARK_B` in its
 * name, email or slug, so "the answer leaks nothing of B" is one string search over the serialised answer.
 *
 * The built-in roles keep their catalog defaults here (unlike accessWorld, which widens the manager), so the
 * role sweep can derive every expected outcome from server/authz/roles.ts alone.
 */
import type { BuiltinRoleSlug } from "../../server/authz/roles.ts";
import { loadMemberActor, type Actor } from "../../server/authz/actor.ts";
import type { Db } from "../../server/db/client.ts";
import { createJoinRequest } from "../../server/services/join-requests/create-join-request.ts";
import { createRight } from "../../server/services/roles/create-right.ts";
import { createRole } from "../../server/services/roles/create-role.ts";
import { issueUserTokenRow } from "./access-factories.ts";
import {
  addMemberWithRole, createPartnerToken, createTenantWithOwner, createUnitIn, signIn, systemActor, TEST_META, uniqueId,
  type Caller, type TestTenant, type TestUser,
} from "./factories.ts";
import { createAccount, inviteWithLink } from "./invitation-factories.ts";

/** Every row of tenant B carries this in a name, email or slug. */
export const MARK_B = "zzbeta";

export const ROLES = ["owner", "administrator", "manager", "accountant", "worker", "client"] as const satisfies readonly BuiltinRoleSlug[];

export type SweepPerson = {
  user: TestUser;
  membershipId: number;
  /** Seed 000 header: `Bearer <partner>, User <user token>`. */
  pair: string;
  /** Seed 003 header: `Bearer <user token>`. */
  bearer: string;
  caller: Caller;
  sessionId: number;
  actor: Actor;
};

async function side(db: Db, label: string) {
  const tag = `${label}${uniqueId()}`;
  // Addresses carry no marker: a caller may send B's addresses and see them echoed in its own rows; names do.
  const mail = `m${uniqueId()}`;
  const { tenant, owner, membership } = await createTenantWithOwner(db, {
    name: `Tenant ${tag}`, slug: `${tag}-co`, ownerEmail: `${mail}-owner@example.test`,
  });
  const units = {
    u1: await createUnitIn(db, tenant, { name: `${tag} Unit 1` }),
    u2: await createUnitIn(db, tenant, { name: `${tag} Unit 2` }),
    u3: await createUnitIn(db, tenant, { name: `${tag} Unit 3` }),
    sub: await createUnitIn(db, tenant, { name: `${tag} Sub`, kind: "SUBSIDIARY" }),
  };
  const partner = await createPartnerToken(db, tenant, { name: `${tag} integration` });
  const p = { id: partner.apiToken.id, scopes: partner.apiToken.scopes };
  const person = async (user: TestUser, membershipId: number): Promise<SweepPerson> => {
    await db.user.update({ where: { id: user.id }, data: { firstName: `${tag}First`, lastName: `${tag}Last` } });
    const userToken = await issueUserTokenRow(db, tenant, user.id, p);
    const signed = await signIn(db, user);
    return {
      user, membershipId, pair: `Bearer ${partner.token}, User ${userToken}`, bearer: `Bearer ${userToken}`,
      caller: signed.caller, sessionId: signed.sessionId,
      actor: await loadMemberActor(db, { userId: user.id, tenantId: tenant.id }, TEST_META, null, { reauthAt: new Date() }),
    };
  };
  const add = async (role: string, label2 = role) => {
    const m = await addMemberWithRole(db, tenant, { role, email: `${mail}-${label2}@example.test`, unitIds: [units.u1.id, units.u2.id], ...(role === "client" ? { client: true } : {}) });
    return person(m.user, m.membership.id);
  };
  const people: Record<(typeof ROLES)[number], SweepPerson> = {
    owner: await person(owner, membership.id),
    administrator: await add("administrator"),
    manager: await add("manager"),
    accountant: await add("accountant"),
    worker: await add("worker"),
    client: await add("client"),
  };
  // A member nobody acts as: the target of edits, suspensions and removals in the sweeps.
  const victim = await add("worker", "victim");
  const customRole = await createRole(db, systemActor(tenant), { slug: `custom-${tag}`, title: `${tag} custom`, weight: 30 });
  const customRight = await createRight(db, systemActor(tenant), {
    slug: `${tag}_right`, category: "custom", title: `${tag} right`, type: "BOOLEAN", defaultValue: false,
  });

  await db.tenant.update({ where: { id: tenant.id }, data: { joinPolicy: "REQUEST" } });
  const requester = await createAccount(db, { email: `${mail}-requester@example.test` });
  await db.user.update({ where: { id: requester.id }, data: { firstName: `${tag}Asking`, lastName: `${tag}Person` } });
  const request = await createJoinRequest(db, { userId: requester.id, tenantSlug: tenant.slug, message: `${tag} please` });
  const invitation = await inviteWithLink(db, systemActor(tenant), {
    email: `${mail}-invitee@example.test`, unitGrants: [{ unitId: units.u1.id, role: "worker" }],
  });
  const ownerToken = await db.apiToken.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "PARTNER" }, select: { id: true } });
  return {
    tag, tenant: tenant as TestTenant, units, partner, partnerTokenId: ownerToken.id, people, victim, customRole, customRight,
    requester, request, invitation: { id: invitation.invitation.id, email: invitation.email!, token: invitation.token },
  };
}

export type SweepSide = Awaited<ReturnType<typeof side>>;

/** Tenant A (the caller's) and tenant B (the one whose ids the caller tries). */
export async function sweepWorld(db: Db) {
  const a = await side(db, "alpha");
  const b = await side(db, MARK_B);
  // One audit event of B's to use as a cursor.
  const bEvent = await db.auditEvent.findFirstOrThrow({ where: { tenantId: b.tenant.id }, orderBy: { id: "desc" }, select: { id: true } });
  return { a, b, bEventId: bEvent.id.toString() };
}
export type SweepWorld = Awaited<ReturnType<typeof sweepWorld>>;

/**
 * Everything a tenant owns, as one comparable value: a call that "changes nothing" leaves it equal. Left out on
 * purpose: `security.denied` audit rows (refusals are recorded by design), token `lastUsedAt` (authentication touches
 * it), session `lastSeenAt`, and rate-limit counters.
 */
export async function fingerprint(db: Db, tenantId: number) {
  const byId = { orderBy: { id: "asc" as const } };
  const where = { tenantId };
  const [tenant, units, roles, rights, memberships, membershipRoles, unitAccess, invitations, joinRequests, apiTokens, audit, deliveries] = await Promise.all([
    db.tenant.findUnique({ where: { id: tenantId } }),
    db.unit.findMany({ where, ...byId }),
    db.role.findMany({ where, ...byId }),
    db.right.findMany({ where, ...byId }),
    db.membership.findMany({ where, ...byId }),
    db.membershipRole.findMany({ where, orderBy: [{ membershipId: "asc" }, { roleId: "asc" }] }),
    db.unitAccess.findMany({ where, ...byId }),
    db.invitation.findMany({ where, ...byId }),
    db.joinRequest.findMany({ where, ...byId }),
    db.apiToken.findMany({ where, ...byId, omit: { lastUsedAt: true } }),
    db.auditEvent.findMany({ where: { tenantId, action: { not: "security.denied" } }, ...byId }),
    db.emailDelivery.findMany({ where, ...byId }),
  ]);
  const userIds = [...new Set([...memberships.map((m) => m.userId), ...joinRequests.map((r) => r.userId)])];
  const users = await db.user.findMany({ where: { id: { in: userIds } }, ...byId });
  const sessions = await db.authSession.findMany({ where: { userId: { in: userIds } }, ...byId, omit: { lastSeenAt: true } });
  return JSON.parse(JSON.stringify({
    tenant, units, roles, rights, memberships, membershipRoles, unitAccess, invitations, joinRequests, apiTokens, audit, deliveries, users, sessions,
  }, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}
