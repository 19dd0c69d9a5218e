/**
 * Factories: build real rows through the real services (createTenant, addMember, createUnit, createApiToken) so
 * tests start from states the app itself can produce. Every factory makes unique names and emails, so files and
 * tests never collide even on a shared PostgreSQL database.
 */
import crypto from "node:crypto";
import type { Session } from "next-auth";
import { systemActorFor, type Actor, type RequestMeta } from "../../server/authz/actor.ts";
import type { BuiltinRoleSlug } from "../../server/authz/roles.ts";
import { createSessionRow, type SessionPolicy } from "../../server/auth/sessions.ts";
import type { Db } from "../../server/db/client.ts";
import { addMember } from "../../server/services/members/add-member.ts";
import { createTenant } from "../../server/services/tenants/create-tenant.ts";
import { createApiToken } from "../../server/services/tokens/create-api-token.ts";
import { createUnit } from "../../server/services/units/create-unit.ts";
import { createCaller } from "../../server/trpc/root.ts";

export const PASSWORD = "correct-horse-battery-staple";
export const SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };
export const TEST_META: RequestMeta = { ip: "203.0.113.7", userAgent: "vitest", requestId: "test-request" };

export const uniqueId = () => crypto.randomBytes(4).toString("hex");
export const uniqueEmail = (label = "user") => `${label}-${uniqueId()}@example.test`;

export type TestTenant = { id: number; slug: string; name: string };
export type TestUser = { id: number; email: string; password: string };

/** A tenant with built-in roles and an owner who can sign in with `owner.password`. */
export async function createTenantWithOwner(db: Db, opts: { name?: string; ownerEmail?: string; slug?: string } = {}) {
  const name = opts.name ?? `Tenant ${uniqueId()}`;
  const result = await createTenant(db, {
    name,
    ownerEmail: opts.ownerEmail ?? uniqueEmail("owner"),
    ownerPassword: PASSWORD,
    ...(opts.slug ? { slug: opts.slug } : {}),
  });
  return { tenant: result.tenant as TestTenant, owner: { ...result.owner, password: PASSWORD } as TestUser, membership: result.membership };
}

/** The CLI's operator inside `tenant`: every permission. */
export const systemActor = (tenant: TestTenant): Actor => systemActorFor(tenant);

/** An active member with `role` (default worker), optionally at some units. */
export async function addMemberWithRole(
  db: Db,
  tenant: TestTenant,
  opts: { role?: BuiltinRoleSlug | string; email?: string; unitIds?: number[]; client?: boolean } = {},
) {
  const result = await addMember(db, systemActor(tenant), {
    email: opts.email ?? uniqueEmail(opts.role ?? "member"),
    password: PASSWORD,
    ...(opts.role ? { role: opts.role } : {}),
    ...(opts.unitIds ? { unitIds: opts.unitIds } : {}),
    ...(opts.client ? { client: true } : {}),
  });
  return { user: { ...result.user, password: PASSWORD } as TestUser, membership: result.membership };
}

export function createUnitIn(db: Db, tenant: TestTenant, opts: { name?: string; kind?: "LOCATION" | "SUBSIDIARY" | "PROJECT" } = {}) {
  return createUnit(db, systemActor(tenant), { name: opts.name ?? `Unit ${uniqueId()}`, kind: opts.kind ?? "LOCATION" });
}

/** A partner (integration) token of `tenant`; `token` is the raw secret, shown once. */
export function createPartnerToken(db: Db, tenant: TestTenant, opts: { name?: string; scopes?: string[] } = {}) {
  return createApiToken(db, systemActor(tenant), {
    kind: "partner",
    name: opts.name ?? `Integration ${uniqueId()}`,
    ...(opts.scopes ? { scopes: opts.scopes } : {}),
  });
}

export async function suspendMembership(db: Db, membershipId: number): Promise<void> {
  await db.membership.updateMany({ where: { id: membershipId }, data: { status: "SUSPENDED" } });
}

export async function revokeApiToken(db: Db, tokenId: number): Promise<void> {
  await db.apiToken.updateMany({ where: { id: tokenId }, data: { revokedAt: new Date() } });
}

export type Caller = ReturnType<typeof createCaller>;

export function callerFor(db: Db, session: Session | null, meta: RequestMeta = TEST_META): Caller {
  return createCaller({ db, session, meta });
}

/**
 * What next-auth would hand the tRPC context after a credentials sign-in: a real AuthSession row (created exactly
 * as the jwt callback does) and the session object the session callback builds from it.
 */
export async function signIn(db: Db, user: { id: number; email: string }, policy: SessionPolicy = SESSION_POLICY) {
  const row = await createSessionRow(db, user.id, policy, { ip: TEST_META.ip, userAgent: TEST_META.userAgent });
  const session: Session = {
    user: { id: user.id, email: user.email, name: user.email },
    sessionId: row.id,
    expires: row.expiresAt.toISOString(),
    reauthAt: row.reauthAt.toISOString(),
  };
  return { session, secret: row.secret, sessionId: row.id, caller: callerFor(db, session) };
}
