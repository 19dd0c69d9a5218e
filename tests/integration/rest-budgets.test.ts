/**
 * REST statement budgets (issue 10), counted at the driver around real route handler calls, and the location and
 * member lists' output compared byte for byte with what the old per-member path produced.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listUsers } from "../../app/api/v1/company/[location_id]/users/route.ts";
import { GET as companyUsers } from "../../app/api/v1/company_users/[location_id]/route.ts";
import { GET as activeGET } from "../../app/api/v1/tenants/members/active/route.ts";
import { authenticateWithLimits } from "../../server/rest/authenticate.ts";
import { toCompanyUser, toLocationUser } from "../../server/rest/seed000-dto.ts";
import { toMember003 } from "../../server/rest/member-dto.ts";
import { MEMBER_SELECT, toMember, type MemberRow } from "../../server/services/members/member-record.ts";
import { listUnitUsers } from "../../server/services/units/list-unit-users.ts";
import { createRole } from "../../server/services/roles/create-role.ts";
import { useTestDb } from "../helpers/db.ts";
import { issueUserTokenRow } from "../helpers/access-factories.ts";
import { bulkMembers } from "../helpers/bulk-members.ts";
import { createPartnerToken, createTenantWithOwner, createUnitIn, systemActor, TEST_META, type TestTenant } from "../helpers/factories.ts";
import { countStatements } from "../helpers/statement-counter.ts";

const t = useTestDb();

type World = { tenant: TestTenant; unitId: number; auth: string; partner: string };
let w: World;

async function world(members: number, custom = false): Promise<World> {
  const { tenant, owner } = await createTenantWithOwner(t.db);
  const unit = await createUnitIn(t.db, tenant);
  const roles = ["worker", "manager", "administrator"];
  // Owner as a unit role (all access there) but not as a tenant role, so the tenant keeps one last, non-deletable owner.
  const unitRoles = [...roles, "owner"];
  if (custom) {
    await createRole(t.db, systemActor(tenant), {
      slug: "senior", title: "Senior", weight: 50,
      defaults: [{ slug: "timetable_access", value: true }, { slug: "send_sms", value: true }, { slug: "master_id", value: 3 }],
    });
    roles.push("senior");
    unitRoles.push("senior");
  }
  await bulkMembers(t.db, tenant, { count: members, unitId: unit.id, roles, unitRoles, fullAccessEvery: 9, invitedEvery: 7, overridesEvery: 4, clientEvery: 10, unverifiedEvery: 17, suspendedEvery: 23 });
  const partner = await createPartnerToken(t.db, tenant);
  const user = await issueUserTokenRow(t.db, tenant, owner.id, { id: partner.apiToken.id, scopes: partner.apiToken.scopes });
  return { tenant, unitId: unit.id, auth: `Bearer ${partner.token}, User ${user}`, partner: `Bearer ${partner.token}` };
}

const request = (path: string, authorization: string) => new Request(`http://localhost${path}`, { headers: { authorization, accept: "application/vnd.api.v2+json" } });
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) }) as never;

/** The handler's status, body text and statements, the body read inside the count (a stream may still be querying). */
async function counted(fn: () => Promise<Response>) {
  const { result, count, sql } = await countStatements(async () => {
    const res = await fn();
    return { status: res.status, text: await res.text(), headers: res.headers };
  });
  return { ...result, count, sql };
}

const listAt = (x: World, query = "") => counted(() => listUsers(request(`/api/v1/company/${x.unitId}/users${query}`, x.auth), params({ location_id: String(x.unitId) })));

beforeAll(async () => {
  w = await world(60, true);
});

describe("REST statement budgets", () => {
  it("should authenticate a partner/user pair, a partner alone and a refused token in exactly one statement each", async () => {
    for (const header of [w.auth, w.partner]) {
      const { count, sql } = await countStatements(() => authenticateWithLimits(t.db, header, TEST_META));
      expect(count, sql.join("\n")).toBe(1);
    }
    for (const header of [`Bearer rs_pt_${"x".repeat(40)}`, "Basic abc", null]) {
      const { count } = await countStatements(() => authenticateWithLimits(t.db, header, { ...TEST_META, ip: "198.51.100.200" }).catch(() => null));
      expect(count).toBe(1);
    }
  });

  it("GET /company/{id}/users - at most 3 statements in total (authentication and the list: 2)", async () => {
    const res = await listAt(w);
    expect(res.status).toBe(200);
    expect(res.count, res.sql.join("\n")).toBeLessThanOrEqual(3);
    expect(res.count).toBe(2);
  });

  it("GET /company_users/{id} - at most 3 statements in total", async () => {
    const res = await counted(() => companyUsers(request(`/api/v1/company_users/${w.unitId}`, w.auth), params({ location_id: String(w.unitId) })));
    expect(res.status).toBe(200);
    expect(res.count, res.sql.join("\n")).toBeLessThanOrEqual(3);
  });

  it("GET /tenants/members/active - at most 3 statements in total, paged or not", async () => {
    for (const q of ["", "?page=2&count=10"]) {
      const res = await counted(() => activeGET(request(`/api/v1/tenants/members/active${q}`, w.partner), params({})));
      expect(res.status).toBe(200);
      expect(res.count, res.sql.join("\n")).toBeLessThanOrEqual(3);
    }
  });

  it("should list a location in one query whatever its size (10 and 1,000 members)", async () => {
    const small = await world(10);
    const large = await world(1000);
    const a = await listAt(small);
    const b = await listAt(large);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.count).toBe(a.count);
    expect((JSON.parse(b.text) as { data: unknown[] }).data.length).toBeGreaterThan(800);
  }, 120_000);
});

describe("the one-statement lists give the old bytes", () => {
  it("GET /company/{id}/users - byte-identical to listUnitUsers + toLocationUser, with and without filter[is_approved]", async () => {
    const actor = systemActor(w.tenant);
    for (const [query, approved] of [["", undefined], ["?filter[is_approved]=1", true], ["?filter[is_approved]=0", false]] as const) {
      const old = await listUnitUsers(t.db, actor, { unitId: w.unitId, kind: "LOCATION", ...(approved !== undefined ? { approved } : {}) });
      const expected = JSON.stringify({ success: true, data: old.map(toLocationUser), meta: { count: old.length } });
      const res = await listAt(w, query);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.text).toBe(expected);
    }
  });

  it("GET /company_users/{id} - byte-identical to listUnitUsers + toCompanyUser (custom role, overrides, full access, invited)", async () => {
    const old = await listUnitUsers(t.db, systemActor(w.tenant), { unitId: w.unitId, kind: "LOCATION" });
    // The fixture really has every case the rules distinguish.
    expect(old.some((u) => u.hasFullAccess)).toBe(true);
    expect(old.some((u) => !u.isApproved)).toBe(true);
    expect(old.some((u) => u.role === "senior" && u.isApproved)).toBe(true);
    expect(old.some((u) => u.values.master_id === 7)).toBe(true);
    expect(old.some((u) => u.role === "owner" && u.isApproved)).toBe(true);
    expect(old.filter((u) => u.isNonDeletable)).toHaveLength(1);
    const expected = JSON.stringify({ success: true, data: old.map(toCompanyUser), meta: [] });
    const res = await counted(() => companyUsers(request(`/api/v1/company_users/${w.unitId}`, w.auth), params({ location_id: String(w.unitId) })));
    expect(res.text).toBe(expected);
  });

  it("GET /tenants/members/active - byte-identical to the old Prisma read + toMember003", async () => {
    const rows = await t.db.membership.findMany({
      where: { tenantId: w.tenant.id, status: "ACTIVE", user: { emailVerifiedAt: { not: null } } }, orderBy: { id: "asc" }, select: MEMBER_SELECT,
    });
    const expected = JSON.stringify((rows as MemberRow[]).map(toMember).map(toMember003));
    const res = await counted(() => activeGET(request("/api/v1/tenants/members/active", w.partner), params({})));
    expect(res.text).toBe(expected);
    expect(res.headers.get("x-total-count")).toBe(String(rows.length));
  });
});

describe("paging", () => {
  it("GET /company/{id}/users?page=&count= - the window of the full list, meta.count the exact total, meta.page and meta.per_page", async () => {
    const all = JSON.parse((await listAt(w)).text) as { data: { id: number }[]; meta: Record<string, number> };
    expect(Object.keys(all.meta)).toEqual(["count"]);
    const page = JSON.parse((await listAt(w, "?page=2&count=7")).text) as typeof all;
    expect(page.meta).toEqual({ count: all.data.length, page: 2, per_page: 7 });
    expect(page.data).toEqual(all.data.slice(7, 14));
    const beyond = JSON.parse((await listAt(w, "?page=99&count=1000")).text) as typeof all;
    expect(beyond).toMatchObject({ success: true, data: [], meta: { count: all.data.length, page: 99, per_page: 1000 } });
  });

  it("GET /company/{id}/users?count=1001 - 422 naming count; page=0 and count=abc too", async () => {
    for (const [q, field] of [["?count=1001", "count"], ["?page=0", "page"], ["?count=abc", "count"], ["?page=-1&count=5", "page"]] as const) {
      const res = await listAt(w, q);
      expect(res.status, q).toBe(422);
      expect(JSON.parse(res.text)).toMatchObject({ success: false, data: null, meta: { message: expect.stringContaining(`Invalid ${field}`) } });
    }
  });

  it("GET /tenants/members/active?page=&count= - the window, X-Total-Count the exact total", async () => {
    const get = (q: string) => counted(() => activeGET(request(`/api/v1/tenants/members/active${q}`, w.partner), params({})));
    const all = JSON.parse((await get("")).text) as { id: string }[];
    const page = await get("?page=3&count=5");
    expect(JSON.parse(page.text)).toEqual(all.slice(10, 15));
    expect(page.headers.get("x-total-count")).toBe(String(all.length));
    expect((await get("?count=5000")).status).toBe(422);
  });
});
