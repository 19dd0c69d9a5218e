/**
 * The set-based member import: the operator's path (activate: active members, the CLI's service call) and the REST
 * route POST /api/v1/tenants/members/import (invitations). Both engines; the statement budget is proven by counting.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { POST as importPOST } from "../../app/api/v1/tenants/members/import/route.ts";
import type { Actor } from "../../server/authz/actor.ts";
import { isAppError } from "../../server/errors.ts";
import { previewInvitation } from "../../server/services/invitations/preview-invitation.ts";
import { ImportRejectedError, importMembers } from "../../server/services/members/import-members.ts";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, MEMBER_CSV_COLUMNS, type TImportMembersOutput } from "../../server/services/members/import-members.schema.ts";
import { accessWorld, actorOf, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, systemActor, uniqueEmail, uniqueId, type TestTenant } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { tokenOf } from "../helpers/invitation-factories.ts";
import { personalTokenOf } from "../helpers/members-factories.ts";
import { countStatements } from "../helpers/statement-counter.ts";

const t = useTestDb();

const csvOf = (rows: string[][], header: readonly string[] = MEMBER_CSV_COLUMNS) => [header.join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
const people = (n: number, label = "imp") => {
  const id = uniqueId();
  return Array.from({ length: n }, (_, i) => [`${label}-${id}-${i}@example.test`, `First${i}`, `Last${i}`, "", "", ""]);
};

async function counts(tenantId: number) {
  const [users, memberships, roles, audit, invitations, deliveries, jobs] = await Promise.all([
    t.db.user.count(), t.db.membership.count({ where: { tenantId } }), t.db.membershipRole.count({ where: { tenantId } }),
    t.db.auditEvent.count({ where: { tenantId } }), t.db.invitation.count({ where: { tenantId } }),
    t.db.emailDelivery.count({ where: { tenantId } }), t.db.job.count(),
  ]);
  return { users, memberships, roles, audit, invitations, deliveries, jobs };
}

async function rejected(p: Promise<unknown>): Promise<ImportRejectedError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImportRejectedError);
  return e as ImportRejectedError;
}

async function appError(p: Promise<unknown>) {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe("importMembers (operator path: activate)", () => {
  let tenant: TestTenant;
  let actor: Actor;
  const cli = (csv: string, opts: { dryRun?: boolean; mode?: "atomic" | "per_row" } = {}) => importMembers(t.db, actor, { csv, activate: true, ...opts });

  beforeAll(async () => {
    tenant = (await createTenantWithOwner(t.db)).tenant;
    actor = systemActor(tenant);
  });

  it("should create active members with their profile and roles (default worker) and audit the batch plus each member", async () => {
    const [a, b] = [uniqueEmail("a"), uniqueEmail("b")];
    const before = await counts(tenant.id);
    const r = await cli(csvOf([[a.toUpperCase(), "Ada", "Lovelace", "Countess", "+14155550100", "manager;accountant"], [b, "", "", "", "", ""]]));
    expect(r).toMatchObject({ dryRun: false, mode: "atomic", written: true, rows: 2, counts: { created: 2, invited: 0, exists: 0, error: 0 } });
    expect(r.results).toEqual([{ row: 2, email: a, status: "created" }, { row: 3, email: b, status: "created" }]);
    const ma = await t.db.membership.findFirstOrThrow({ where: { tenantId: tenant.id, user: { email: a } }, include: { user: true, roles: { include: { role: true } } } });
    expect(ma).toMatchObject({ status: "ACTIVE", kind: "MEMBER", hasFullAccess: false });
    expect(ma.user).toMatchObject({ firstName: "Ada", lastName: "Lovelace", displayName: "Countess", phone: "+14155550100", passwordHash: null, emailVerifiedAt: null });
    expect(ma.user.searchText).toContain("lovelace");
    expect(ma.roles.map((x) => x.role.slug).sort()).toEqual(["accountant", "manager"]);
    const mb = await t.db.membership.findFirstOrThrow({ where: { tenantId: tenant.id, user: { email: b } }, include: { roles: { include: { role: true } } } });
    expect(mb.roles.map((x) => x.role.slug)).toEqual(["worker"]);
    expect(Math.abs(ma.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const after = await counts(tenant.id);
    expect(after).toMatchObject({ users: before.users + 2, memberships: before.memberships + 2, roles: before.roles + 3, audit: before.audit + 3 });
    const events = await t.db.auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "desc" }, take: 3 });
    expect(events.map((e) => e.action).sort()).toEqual(["member.added", "member.added", "members.imported"]);
    expect(events.find((e) => e.targetId === String(ma.id))).toMatchObject({ actorType: "SYSTEM", targetType: "membership", after: { email: a, roles: ["manager", "accountant"], source: "import" } });
    expect(events.find((e) => e.action === "members.imported")).toMatchObject({ targetType: "tenant", after: { source: "cli", rows: 2, created: 2, error: 0 } });
  });

  it("should write nothing on a dry run and report what would happen", async () => {
    const before = await counts(tenant.id);
    const r = await cli(csvOf(people(3)), { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, written: false, counts: { created: 3, error: 0 } });
    expect(await counts(tenant.id)).toEqual(before);
  });

  it("should write nothing when one row is bad (atomic, the default) and name the row", async () => {
    const before = await counts(tenant.id);
    const rows = people(4);
    rows[2]![0] = "not-an-email";
    const e = await rejected(cli(csvOf(rows)));
    expect(e.status).toBe(422);
    expect(e.userMessage).toContain("row 4");
    expect(e.report.written).toBe(false);
    expect(e.report.results.filter((x) => x.status === "error")).toEqual([{ row: 4, email: "not-an-email", status: "error", error: "email: must be a single valid email address" }]);
    expect(await counts(tenant.id)).toEqual(before);
  });

  it("should write the good rows and report the bad ones in per_row mode", async () => {
    const rows = people(3);
    rows[1]![4] = "0123";
    const r = await cli(csvOf(rows), { mode: "per_row" });
    expect(r.counts).toEqual({ created: 2, invited: 0, exists: 0, error: 1 });
    expect(r.results[1]).toMatchObject({ row: 3, status: "error", error: expect.stringContaining("phone:") });
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, user: { email: { in: rows.map((x) => x[0]!) } } } })).toBe(2);
  });

  it("should refuse an address listed twice (any case) on its second row, naming the first", async () => {
    const email = uniqueEmail("twice");
    const e = await rejected(cli(csvOf([[email, "", "", "", "", ""], [` ${email.toUpperCase()} `, "", "", "", "", ""]])));
    expect(e.report.results[1]).toEqual({ row: 3, email, status: "error", error: "email: listed twice in this file (first on row 2)" });
  });

  it("should refuse a role slug the tenant does not have", async () => {
    const rows = people(1);
    rows[0]![5] = "worker;wizard";
    const e = await rejected(cli(csvOf(rows)));
    expect(e.report.results[0]!.error).toBe('roles: no role "wizard" in this tenant');
  });

  it("should be idempotent: a re-import reports every row as exists and changes no member", async () => {
    const csv = csvOf(people(5));
    expect((await cli(csv)).counts.created).toBe(5);
    const before = await counts(tenant.id);
    const again = await cli(csv);
    expect(again).toMatchObject({ written: false, counts: { created: 0, exists: 5, error: 0 } });
    const after = await counts(tenant.id);
    expect({ ...after, audit: before.audit }).toEqual(before);
  });

  it("should add an existing account as a member without touching its profile or password", async () => {
    const other = await createTenantWithOwner(t.db);
    const r = await cli(csvOf([[other.owner.email, "Mallory", "", "", "", ""]]));
    expect(r.results[0]).toMatchObject({ status: "created" });
    const u = await t.db.user.findUniqueOrThrow({ where: { email: other.owner.email } });
    expect(u.firstName).not.toBe("Mallory");
    expect(u.passwordHash).not.toBeNull();
  });

  it("should refuse activation for anyone but the operator (system actor)", async () => {
    const w = await accessWorld(t.db);
    const e = await appError(importMembers(t.db, w.owner.actor, { csv: csvOf(people(1)), activate: true }));
    expect(e.status).toBe(403);
  });

  it("should answer 422 for a missing header, unknown or repeated columns, no email column and a file that is not CSV", async () => {
    const cases: [string, string][] = [
      ["", "empty"],
      ["\n\n", "empty"],
      ["email,nickname,Shoe Size\na@example.test,x,y\n", 'unknown columns "nickname", "shoe size"'],
      ["email,Email\na@example.test,b@example.test\n", 'column "email" appears twice'],
      ["first_name\nAda\n", "no email column"],
      ['email\n"a@example.test\n', "not valid CSV"],
    ];
    for (const [csv, message] of cases) {
      const e = await appError(cli(csv));
      expect(e.status, csv).toBe(422);
      expect(e.userMessage, csv).toContain(message);
    }
  });

  it("should take columns in any order and ignore blank lines, numbering rows by the file's lines", async () => {
    const [a, b] = [uniqueEmail("order"), uniqueEmail("order")];
    const r = await cli(`\uFEFFroles,EMAIL,last_name\n\nworker,${a},"multi\nline"\n\n,${b},\n`, { dryRun: true });
    expect(r.results).toEqual([{ row: 3, email: a, status: "created" }, { row: 6, email: b, status: "created" }]);
    const bad = await cli(`email,roles\n${a},worker,extra\n`, { dryRun: true });
    expect(bad.results[0]).toMatchObject({ row: 2, status: "error", error: "row: 3 cells, the header has 2" });
  });

  it("should spend the same small number of statements on 10 rows and on 1,000", async () => {
    const ten = await countStatements(() => cli(csvOf(people(10))));
    const thousand = await countStatements(() => cli(csvOf(people(1000))));
    expect(ten.result.counts.created).toBe(10);
    expect(thousand.result.counts.created).toBe(1000);
    expect(thousand.count).toBe(ten.count);
    // The tenant's roles, the importer's authority, then one transaction: BEGIN, JIT off, the statement, COMMIT.
    expect(thousand.count, thousand.sql.join("\n")).toBeLessThanOrEqual(6);
  });

  it("should import 10,000 rows", { timeout: 120_000 }, async () => {
    const r = await cli(csvOf(people(10_000, "bulk")));
    expect(r.counts).toEqual({ created: 10_000, invited: 0, exists: 0, error: 0 });
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, user: { email: { startsWith: "bulk-" } } } })).toBe(10_000);
  });
});

describe("POST /api/v1/tenants/members/import", () => {
  let w: AccessWorld;
  let ownerToken: string;
  let managerToken: string;
  const post = (authorization: string, body: string, query = "", headers: Record<string, string> = { "content-type": "text/csv" }) =>
    callRoute(importPOST as unknown as RouteHandler, { method: "POST", path: `/api/v1/tenants/members/import${query}`, authorization, rawBody: body, headers });

  beforeAll(async () => {
    w = await accessWorld(t.db);
    ownerToken = `Bearer ${await personalTokenOf(t.db, w.tenant, w.owner.user.id)}`;
    managerToken = `Bearer ${await personalTokenOf(t.db, w.tenant, w.manager.user.id)}`;
  });

  it("POST /api/v1/tenants/members/import - 200 invitations (never memberships) with a queued email each whose link opens the invitation", async () => {
    const rows = people(3);
    rows[0]![5] = "manager";
    const before = await counts(w.tenant.id);
    const res = await post(ownerToken, csvOf(rows));
    expect(res.status).toBe(200);
    const body = res.body as TImportMembersOutput;
    expect(body).toMatchObject({ dryRun: false, mode: "atomic", written: true, rows: 3, counts: { created: 0, invited: 3, exists: 0, error: 0 } });
    expect(body.results.map((r) => r.status)).toEqual(["invited", "invited", "invited"]);
    const after = await counts(w.tenant.id);
    expect(after).toMatchObject({ memberships: before.memberships, invitations: before.invitations + 3, deliveries: before.deliveries + 3, jobs: before.jobs + 3, audit: before.audit + 4 });
    const inv = await t.db.invitation.findFirstOrThrow({ where: { tenantId: w.tenant.id, email: rows[0]![0] } });
    expect(inv).toMatchObject({ status: "PENDING", pendingKey: rows[0]![0], roles: ["manager"], kind: "MEMBER", invitedById: w.owner.user.id, sendCount: 1 });
    const ttl = (await t.db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } })).invitationTtlDays;
    expect(Math.abs(inv.expiresAt.getTime() - inv.createdAt.getTime() - ttl * 86_400_000)).toBeLessThan(1000);
    const delivery = await t.db.emailDelivery.findFirstOrThrow({ where: { refType: "invitation", refId: String(inv.id) } });
    const job = await t.db.job.findFirstOrThrow({ where: { payload: { path: ["deliveryId"], equals: delivery.id } } });
    const payload = job.payload as { to: string; text: string; html: string };
    expect(payload.to).toBe(rows[0]![0]);
    const link = /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/.exec(payload.text)?.[0];
    expect(payload.html).toContain(link);
    const preview = await previewInvitation(t.db, tokenOf(link!));
    expect(preview).not.toBeNull();
    // Each invitation has its own link.
    const links = await t.db.job.findMany({ where: { id: { gt: job.id - 5n } } });
    expect(new Set(links.map((j) => /\/invite\/\S+/.exec((j.payload as { text: string }).text)?.[0])).size).toBe(links.length);
  });

  it("POST /api/v1/tenants/members/import - a re-import is exists for members and pending invitations alike", async () => {
    const rows = [[w.worker.user.email, "", "", "", "", ""], ...people(2)];
    const first = await post(ownerToken, csvOf(rows));
    expect((first.body as TImportMembersOutput).results.map((r) => r.status)).toEqual(["exists", "invited", "invited"]);
    const before = await counts(w.tenant.id);
    const again = await post(ownerToken, csvOf(rows));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ written: false, counts: { exists: 3, invited: 0 } });
    expect(await counts(w.tenant.id)).toEqual(before);
  });

  it("POST /api/v1/tenants/members/import - an expired invitation is replaced by a fresh one", async () => {
    const [email] = people(1)[0]!;
    await post(ownerToken, csvOf([[email!, "", "", "", "", ""]]));
    await t.db.invitation.updateMany({ where: { tenantId: w.tenant.id, email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await post(ownerToken, csvOf([[email!, "", "", "", "", ""]]));
    expect((res.body as TImportMembersOutput).results[0]!.status).toBe("invited");
    const all = await t.db.invitation.findMany({ where: { tenantId: w.tenant.id, email }, orderBy: { id: "asc" } });
    expect(all.map((i) => [i.status, i.pendingKey])).toEqual([["EXPIRED", null], ["PENDING", email]]);
    expect(await t.db.auditEvent.count({ where: { tenantId: w.tenant.id, action: "invitation.expired", targetId: String(all[0]!.id) } })).toBe(1);
  });

  it("POST /api/v1/tenants/members/import - ?dry_run=1 writes nothing; ?mode=per_row writes the good rows", async () => {
    const rows = people(3);
    rows[1]![5] = "nope";
    const before = await counts(w.tenant.id);
    const dry = await post(ownerToken, csvOf(rows), "?dry_run=1&mode=per_row");
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, written: false, counts: { invited: 2, error: 1 } });
    expect(await counts(w.tenant.id)).toEqual(before);
    const res = await post(ownerToken, csvOf(rows), "?mode=per_row");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ written: true, counts: { invited: 2, error: 1 } });
    expect((await counts(w.tenant.id)).invitations).toBe(before.invitations + 2);
  });

  it("POST /api/v1/tenants/members/import - 422 with every row's result when one row is bad (atomic), nothing written", async () => {
    const rows = people(3);
    rows[2]![0] = "";
    const before = await counts(w.tenant.id);
    const res = await post(ownerToken, csvOf(rows));
    expect(res.status).toBe(422);
    const body = res.body as TImportMembersOutput & { title: string; detail: string; time: string };
    expect(body.title).toBe("Unprocessable Entity");
    expect(body.detail).toContain("row 4");
    expect(body.results).toHaveLength(3);
    expect(body.results[2]).toEqual({ row: 4, email: "", status: "error", error: "email: required" });
    expect(await counts(w.tenant.id)).toEqual(before);
  });

  it("POST /api/v1/tenants/members/import - a role above the caller's ceiling is that row's error (atomic: 422, nothing written)", async () => {
    const rows = people(2);
    rows[0]![5] = "administrator";
    const before = await counts(w.tenant.id);
    const res = await post(managerToken, csvOf(rows));
    expect(res.status).toBe(422);
    expect((res.body as TImportMembersOutput).results[0]).toMatchObject({ status: "error", error: 'roles: access denied, you cannot grant the role "administrator"' });
    expect(await counts(w.tenant.id)).toEqual(before);
    const perRow = await post(managerToken, csvOf(rows), "?mode=per_row");
    expect(perRow.body).toMatchObject({ counts: { invited: 1, error: 1 } });
  });

  it("POST /api/v1/tenants/members/import - 403 without members.invite", async () => {
    const token = `Bearer ${await personalTokenOf(t.db, w.tenant, w.accountant.user.id)}`;
    expect((await post(token, csvOf(people(1)))).status).toBe(403);
  });

  it("POST /api/v1/tenants/members/import - 422 for a bad CSV or bad parameters, 400 for another content type, nothing written", async () => {
    const before = await counts(w.tenant.id);
    const unknown = await post(ownerToken, "email,shoe_size\na@example.test,9\n");
    expect(unknown.status).toBe(422);
    expect((unknown.body as { detail: string }).detail).toContain('"shoe_size"');
    expect((await post(ownerToken, 'email\n"broken\n')).status).toBe(422);
    expect((await post(ownerToken, csvOf(people(1)), "?mode=sometimes")).status).toBe(422);
    expect((await post(ownerToken, csvOf(people(1)), "?dry_run=yes")).status).toBe(422);
    expect((await post(ownerToken, JSON.stringify({ email: "a@example.test" }), "", { "content-type": "application/json" })).status).toBe(400);
    expect(await counts(w.tenant.id)).toEqual(before);
  });

  it("POST /api/v1/tenants/members/import - accepts a multipart form with a file field", async () => {
    const form = new FormData();
    form.set("file", new Blob([csvOf(people(2))], { type: "text/csv" }), "people.csv");
    const req = new Request("http://localhost/api/v1/tenants/members/import?dry_run=1", { method: "POST", headers: { authorization: ownerToken }, body: form });
    const res = await (importPOST as unknown as RouteHandler)(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ dryRun: true, counts: { invited: 2 } });
  });

  it(`POST /api/v1/tenants/members/import - 413 over ${MAX_IMPORT_ROWS} rows or ${MAX_IMPORT_BYTES} bytes (a 2 MB file is fine)`, { timeout: 60_000 }, async () => {
    const before = await counts(w.tenant.id);
    const tooMany = await post(ownerToken, csvOf(Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => [`r${i}@example.test`, "", "", "", "", ""])), "?dry_run=1");
    expect(tooMany.status).toBe(413);
    const padding = "x".repeat(99);
    const big = csvOf(Array.from({ length: 100 }, (_, i) => [`${i}@example.test`, padding, "", "", "", ""])) + "\n".repeat(MAX_IMPORT_BYTES);
    expect((await post(ownerToken, big, "?dry_run=1")).status).toBe(413);
    const wide = "y".repeat(100);
    const twoMb = csvOf(people(7000).map(([email]) => [email!, wide, wide, wide, "", ""]));
    expect(twoMb.length).toBeGreaterThan(2 * 1024 * 1024);
    const ok = await post(ownerToken, twoMb, "?dry_run=1");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ rows: 7000, counts: { invited: 7000 } });
    expect(await counts(w.tenant.id)).toEqual(before);
  });

  it("should spend the same small number of statements inviting 10 rows and 990", async () => {
    // A fresh tenant: the invitation limit (1,000 an hour) counts every invitation.
    const fresh = await createTenantWithOwner(t.db);
    const owner = await actorOf(t.db, fresh.tenant, fresh.owner.id);
    const ten = await countStatements(() => importMembers(t.db, owner, { csv: csvOf(people(10)) }));
    const thousand = await countStatements(() => importMembers(t.db, owner, { csv: csvOf(people(990)) }));
    expect(thousand.result.counts.invited).toBe(990);
    expect(thousand.count).toBe(ten.count);
    expect(thousand.count, thousand.sql.join("\n")).toBeLessThanOrEqual(12);
  });
});
