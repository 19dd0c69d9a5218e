/**
 * Access-core fixtures: a tenant with locations and one member per built-in role, a partner token, and seed 000
 * user tokens (`Authorization: Bearer <partner>, User <user>`) built exactly as POST /api/v1/auth stores them.
 */
import { loadMemberActor, type Actor } from "../../server/authz/actor.ts";
import { displayPrefix, hashSecret, newSecret, SECRET_PREFIX } from "../../server/auth/secrets.ts";
import type { Db } from "../../server/db/client.ts";
import {
  addMemberWithRole, createPartnerToken, createTenantWithOwner, createUnitIn, signIn, TEST_META, type TestTenant, type TestUser,
} from "./factories.ts";

/** A USER token issued under `partner` for `userId` (same row POST /api/v1/auth writes); returns the raw secret. */
export async function issueUserTokenRow(db: Db, tenant: TestTenant, userId: number, partner: { id: number; scopes: string[] }): Promise<string> {
  const raw = newSecret(SECRET_PREFIX.user);
  await db.apiToken.create({
    data: {
      tenantId: tenant.id, kind: "USER", name: "test user token", prefix: displayPrefix(raw), tokenHash: hashSecret(raw),
      scopes: partner.scopes, userId, parentId: partner.id, expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return raw;
}

export const actorOf = (db: Db, tenant: TestTenant, userId: number): Promise<Actor> => loadMemberActor(db, { userId, tenantId: tenant.id }, TEST_META, null, { reauthAt: new Date() });

export type Person = { user: TestUser; membershipId: number; auth: string; actor: Actor };

/**
 * Tenant with locations L1..L3 (and a subsidiary), an owner (full access) and an administrator, manager, accountant,
 * worker and client at L1 and L2; the tenant's manager role also holds members.update. `auth` is each person's seed 000 header under an all-scopes partner token.
 */
export async function accessWorld(db: Db, opts: { partnerScopes?: string[] } = {}) {
  const { tenant, owner, membership } = await createTenantWithOwner(db);
  const [l1, l2, l3, sub] = [
    await createUnitIn(db, tenant, { name: "L1" }),
    await createUnitIn(db, tenant, { name: "L2" }),
    await createUnitIn(db, tenant, { name: "L3" }),
    await createUnitIn(db, tenant, { name: "Sub", kind: "SUBSIDIARY" }),
  ];
  // The tenant lets managers change members (tenants tune built-in defaults), so the manager is the caller whose
  // ceiling is below an administrator's: it holds members.update but not billing_access.
  const manager = await db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: tenant.id, slug: "manager" } } });
  await db.role.updateMany({ where: { id: manager.id }, data: { defaults: { ...(manager.defaults as object), "members.update": true } } });
  const partner = await createPartnerToken(db, tenant, opts.partnerScopes ? { scopes: opts.partnerScopes } : {});
  const p = { id: partner.apiToken.id, scopes: partner.apiToken.scopes };
  const person = async (user: TestUser, membershipId: number): Promise<Person> => ({
    user, membershipId, auth: `Bearer ${partner.token}, User ${await issueUserTokenRow(db, tenant, user.id, p)}`, actor: await actorOf(db, tenant, user.id),
  });
  const add = async (role: string) => {
    const m = await addMemberWithRole(db, tenant, { role, unitIds: [l1.id, l2.id] });
    return person(m.user, m.membership.id);
  };
  return {
    tenant, partner, units: { l1, l2, l3, sub },
    owner: await person(owner, membership.id),
    administrator: await add("administrator"),
    manager: await add("manager"),
    accountant: await add("accountant"),
    worker: await add("worker"),
    client: await add("client"),
  };
}
export type AccessWorld = Awaited<ReturnType<typeof accessWorld>>;

export const callerOf = async (db: Db, p: Person) => (await signIn(db, p.user)).caller;
