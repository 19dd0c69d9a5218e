/**
 * The members list sorts by the name it shows and by email on the membership's copies of them (Membership.sortName,
 * sortEmail) and searches the membership's copy of the person's search text (Membership.searchText),
 * which database triggers keep equal to the person's: on every way a membership is created and on every change of a
 * name, display name, address or phone. What is proved here is that the copies never drift, so the indexed sort gives
 * the same order a sort over the people themselves would, and a search finds a person by what they are called now.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../server/db/generated/client.ts";
import { orderBy } from "../../server/services/members/list-cursor.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createTenantWithOwner, signIn, uniqueId, type Caller, type TestTenant } from "../helpers/factories.ts";

const t = useTestDb();

type Keys = { sortName: string; sortEmail: string };

async function keysOf(membershipId: number): Promise<Keys> {
  const [row] = await t.db.$queryRaw<Keys[]>`SELECT "sortName", "sortEmail" FROM "Membership" WHERE id = ${membershipId}`;
  return row!;
}

/**
 * The name the list shows (format.ts displayName: display name, else first and last name, else email), lower-cased,
 * spelled here independently of the migration's member_sort_name().
 */
const shownName = Prisma.sql`lower(CASE WHEN coalesce(u."displayName", '') <> '' THEN u."displayName"
  WHEN coalesce(u."firstName", '') <> '' AND coalesce(u."lastName", '') <> '' THEN u."firstName" || ' ' || u."lastName"
  WHEN coalesce(u."firstName", '') <> '' THEN u."firstName" WHEN coalesce(u."lastName", '') <> '' THEN u."lastName"
  ELSE u.email END)`;

/** Every membership of the tenant whose copies differ from its person's current names and address. */
async function drifted(tenantId: number): Promise<number> {
  const [row] = await t.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Membership" m JOIN "User" u ON u.id = m."userId"
     WHERE m."tenantId" = ${tenantId}
       AND (m."sortName" <> ${shownName} OR m."sortEmail" <> u.email
            OR m."searchText" <> u."searchText" OR u."searchText" = '' OR m."sortLastLoginAt" IS DISTINCT FROM u."lastLoginAt")`;
  return row!.n;
}

describe("the members list's sort keys", () => {
  let tenant: TestTenant;
  let caller: Caller;

  beforeAll(async () => {
    const created = await createTenantWithOwner(t.db);
    tenant = created.tenant;
    caller = (await signIn(t.db, created.owner)).caller;
    const tag = uniqueId();
    // People with and without names, created in the same statement as their memberships (the trigger's lookup must
    // see them), in an order unrelated to their names.
    await t.db.$executeRaw`
      WITH u AS (
        INSERT INTO "User" ("email", "firstName", "lastName", "displayName", "emailVerifiedAt", "updatedAt")
        SELECT 'sk-' || ${tag} || '-' || lpad(((i * 37) % 60)::text, 2, '0') || '@example.test',
               CASE WHEN i % 5 = 0 THEN NULL ELSE chr(65 + (i * 7) % 26) || 'first' END,
               CASE WHEN i % 4 = 0 THEN NULL ELSE chr(65 + (i * 11) % 26) || 'last' END,
               CASE WHEN i % 6 = 0 THEN chr(97 + (i * 5) % 26) || 'nick' END, now(), now()
          FROM generate_series(1, 60) i
        RETURNING id
      )
      INSERT INTO "Membership" ("tenantId", "userId", "updatedAt") SELECT ${tenant.id}, u.id, now() FROM u`;
  });

  it("should copy the person's names and address into a membership created in the same statement as the person", async () => {
    expect(await drifted(tenant.id)).toBe(0);
  });

  it("should copy them into a membership created by the service (addMember)", async () => {
    const { membership, user } = await addMemberWithRole(t.db, tenant, { role: "worker" });
    expect(await keysOf(membership.id)).toEqual({ sortName: user.email, sortEmail: user.email });
  });

  it("should list by name and by email, both directions, in the order the people's own rows give", async () => {
    // The order of the people's own rows by the name the list shows (the database's collation decides, as it does
    // for the list).
    const order = async (by: "name" | "email", desc: boolean) => {
      const d = desc ? Prisma.sql`DESC` : Prisma.sql`ASC`;
      const keys = by === "name"
        ? Prisma.sql`${shownName} ${d}, m.id ${d}`
        : Prisma.sql`u.email ${d}, m.id ${d}`;
      const rows = await t.db.$queryRaw<{ id: number }[]>`
        SELECT m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."tenantId" = ${tenant.id} ORDER BY ${keys}`;
      return rows.map((r) => r.id);
    };
    for (const sort of ["name", "email"] as const) {
      for (const direction of ["asc", "desc"] as const) {
        const list = await caller.members.list({ tenant: tenant.slug, sort, direction, pageSize: 100 });
        expect(list.items.map((m) => m.id), `${sort} ${direction}`).toEqual(await order(sort, direction === "desc"));
      }
    }
  });

  it("should move a member in the name and email sorts as soon as the person is renamed or changes address", async () => {
    const { membership, user } = await addMemberWithRole(t.db, tenant, { role: "worker" });
    await caller.members.updateProfile({ tenant: tenant.slug, id: membership.id, firstName: "Aaaa-first", lastName: "Aaron" });
    expect(await keysOf(membership.id)).toMatchObject({ sortName: "aaaa-first aaron" });
    const first = await caller.members.list({ tenant: tenant.slug, sort: "name", direction: "asc", pageSize: 1 });
    expect(first.items[0]!.id).toBe(membership.id);

    const address = `aaaa-${uniqueId()}@example.test`;
    await t.db.user.update({ where: { id: user.id }, data: { email: address } });
    expect((await keysOf(membership.id)).sortEmail).toBe(address);
    const byEmail = await caller.members.list({ tenant: tenant.slug, sort: "email", direction: "asc", pageSize: 1 });
    expect(byEmail.items[0]!.id).toBe(membership.id);
    expect(await drifted(tenant.id)).toBe(0);
  });

  it("should find a member by a new display name or phone as soon as the person's profile changes", async () => {
    const { membership, user } = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const tag = uniqueId();
    const phone = `+1555${String(parseInt(tag, 16) % 1_000_000).padStart(6, "0")}`;
    await t.db.user.update({ where: { id: user.id }, data: { displayName: `Nick${tag}` } });
    const byName = await caller.members.list({ tenant: tenant.slug, search: `nick${tag}` });
    expect(byName.items.map((m) => m.id)).toEqual([membership.id]);
    await t.db.user.update({ where: { id: user.id }, data: { displayName: null, phone } });
    expect((await caller.members.list({ tenant: tenant.slug, search: `nick${tag}` })).total).toBe(0);
    expect((await caller.members.list({ tenant: tenant.slug, search: phone })).items.map((m) => m.id)).toEqual([membership.id]);
    expect(await drifted(tenant.id)).toBe(0);
  });

  it("should move a member to the top of the last-login sort as soon as the person signs in", async () => {
    const { membership, user } = await addMemberWithRole(t.db, tenant, { role: "worker" });
    await t.db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date("2099-01-01T00:00:00Z") } });
    const latest = await caller.members.list({ tenant: tenant.slug, sort: "lastLogin", direction: "desc", pageSize: 1 });
    expect(latest.items[0]!.id).toBe(membership.id);
    expect(latest.items[0]!.lastLoginAt).toEqual(new Date("2099-01-01T00:00:00Z"));
    expect(await drifted(tenant.id)).toBe(0);
  });

  it("should order every sort, in both directions, from an index without sorting the tenant", async () => {
    for (const sort of ["name", "email", "lastLogin", "createdAt"] as const) {
      for (const desc of [false, true]) {
        const plan = await t.db.$transaction(async (tx) => {
          // With sorting priced out, a plan still sorts only when no index gives the order.
          await tx.$executeRaw`SET LOCAL enable_sort = off`;
          return tx.$queryRaw<Array<{ "QUERY PLAN": string }>>`
            EXPLAIN SELECT m.id FROM "Membership" m WHERE m."tenantId" = ${tenant.id} ORDER BY ${orderBy(sort, desc)} LIMIT 50`;
        });
        const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
        expect(text, `${sort} ${desc ? "desc" : "asc"}`).not.toMatch(/Sort/);
        expect(text, `${sort} ${desc ? "desc" : "asc"}`).toMatch(/Index/);
      }
    }
  });

  it("should keep every membership of a person in step across tenants", async () => {
    const other = await createTenantWithOwner(t.db);
    const { user, membership } = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const second = await addMemberWithRole(t.db, other.tenant, { role: "worker", email: user.email });
    expect(second.user.id).toBe(user.id);
    await t.db.user.update({ where: { id: user.id }, data: { displayName: "Zed" } });
    expect((await keysOf(membership.id)).sortName).toBe("zed");
    expect((await keysOf(second.membership.id)).sortName).toBe("zed");
    expect(await drifted(other.tenant.id)).toBe(0);
  });
});
