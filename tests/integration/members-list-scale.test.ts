/**
 * The members list at scale: the page, its total and the caller's context are three statements or fewer whatever the
 * tenant's size; past 10,000 matches the total is an estimate (flagged), up to it exact; search runs on the trigram
 * index of Membership.searchText. Members are bulk-inserted with one set-based statement (the list is what is tested).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, signIn, uniqueId, type Caller } from "../helpers/factories.ts";
import { countStatements } from "../helpers/statement-counter.ts";
import { TOTAL_EXACT_LIMIT } from "../../server/services/members/list-members.ts";

const t = useTestDb();

/** `n` active members with the tenant's worker role, named "Person <i>", in one statement. */
async function bulkMembers(tenantId: number, n: number, tag: string) {
  await t.db.$executeRaw`
    WITH u AS (
      INSERT INTO "User" ("email", "firstName", "lastName", "emailVerifiedAt", "updatedAt")
      SELECT ${tag} || '-' || i || '@bulk.test', 'Person', 'P' || lpad(i::text, 6, '0'), now(), now() FROM generate_series(1, ${n}) i
      RETURNING id
    ), m AS (
      INSERT INTO "Membership" ("tenantId", "userId", "updatedAt") SELECT ${tenantId}, u.id, now() FROM u RETURNING id
    )
    INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId")
    SELECT m.id, r.id, ${tenantId} FROM m, "Role" r WHERE r."tenantId" = ${tenantId} AND r.slug = 'worker'`;
}

describe("members.list at scale", () => {
  let caller: Caller;
  let slug: string;
  let small: { caller: Caller; slug: string };

  beforeAll(async () => {
    const big = await createTenantWithOwner(t.db);
    slug = big.tenant.slug;
    await bulkMembers(big.tenant.id, TOTAL_EXACT_LIMIT + 500, `big${uniqueId()}`);
    caller = (await signIn(t.db, big.owner)).caller;
    const few = await createTenantWithOwner(t.db);
    await bulkMembers(few.tenant.id, 40, `few${uniqueId()}`);
    small = { caller: (await signIn(t.db, few.owner)).caller, slug: few.tenant.slug };
  }, 120_000);

  it("should answer a page with its total in at most 3 statements, filtered or not, the caller's session and membership included", async () => {
    const filtered = { search: "p00012", status: "ACTIVE" as const, kind: "MEMBER" as const, role: "worker", hasFullAccess: false, pageSize: 50 };
    for (const input of [
      { pageSize: 50 }, { search: "p00012", pageSize: 50 }, { sort: "createdAt" as const, direction: "desc" as const, pageSize: 50 },
      { sort: "name" as const, direction: "desc" as const, pageSize: 50 }, filtered,
    ]) {
      const big = await countStatements(() => caller.members.list({ tenant: slug, ...input }));
      const few = await countStatements(() => small.caller.members.list({ tenant: small.slug, ...input }));
      expect(big.count, big.sql.join("\n")).toBeLessThanOrEqual(3);
      expect(few.count).toBe(big.count);
    }
  });

  it("should answer the permission check (tenants.current) in the context statement alone", async () => {
    const run = await countStatements(() => caller.tenants.current({ tenant: slug }));
    expect(run.count, run.sql.join("\n")).toBe(1);
    expect(run.result.slug).toBe(slug);
    expect(run.result.me.permissions).toContain("members.read");
  });

  it("should flag the total as an estimate past 10,000 matches and keep it exact below", async () => {
    const all = await caller.members.list({ tenant: slug, pageSize: 50 });
    expect(all.totalIsEstimate).toBe(true);
    expect(all.total).toBeGreaterThan(TOTAL_EXACT_LIMIT);
    expect(all.items).toHaveLength(50);
    // Last names are P000001…P010500: "P00010" matches P000100–P000109 only, an exact, small total.
    const some = await caller.members.list({ tenant: slug, search: "P00010", pageSize: 50 });
    expect(some).toMatchObject({ total: 10, totalIsEstimate: false });
    expect(some.items.map((m) => m.lastName)).toEqual(Array.from({ length: 10 }, (_, i) => `P00010${i}`));
    const few = await small.caller.members.list({ tenant: small.slug, pageSize: 10, page: 5 });
    expect(few).toMatchObject({ total: 41, totalIsEstimate: false, page: 5 });
    expect(few.items).toHaveLength(1);
  });

  it("should reach a page 200 deep from the cursor of the page before it, in the statements of any page", async () => {
    for (const sort of ["createdAt", "email", "name"] as const) {
      const before = await caller.members.list({ tenant: slug, sort, direction: "desc", page: 199, pageSize: 50 });
      const byOffset = await caller.members.list({ tenant: slug, sort, direction: "desc", page: 200, pageSize: 50 });
      const byCursor = await countStatements(() => caller.members.list({ tenant: slug, sort, direction: "desc", page: 200, pageSize: 50, cursor: before.nextCursor! }));
      expect(byCursor.count, byCursor.sql.join("\n")).toBeLessThanOrEqual(3);
      expect(byCursor.result.items.map((m) => m.id), sort).toEqual(byOffset.items.map((m) => m.id));
      const back = await caller.members.list({ tenant: slug, sort, direction: "desc", page: 199, pageSize: 50, cursor: byCursor.result.prevCursor! });
      expect(back.items.map((m) => m.id), sort).toEqual(before.items.map((m) => m.id));
    }
  });

  it("should answer a page past the end with no rows and the right total", async () => {
    const res = await small.caller.members.list({ tenant: small.slug, pageSize: 50, page: 3 });
    expect(res).toMatchObject({ items: [], total: 41, totalIsEstimate: false });
  });

  it("should treat % and _ in a search as the characters they are", async () => {
    expect((await caller.members.list({ tenant: slug, search: "%" })).total).toBe(0);
    expect((await caller.members.list({ tenant: slug, search: "p_0001" })).total).toBe(0);
  });

  it("should search through the trigram index on Membership.searchText", async () => {
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      return tx.$queryRaw<Array<{ "QUERY PLAN": string }>>`EXPLAIN SELECT 1 FROM "Membership" m WHERE m."searchText" LIKE '%p0001%'`;
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("Membership_searchText_idx");
  });
});
