/**
 * The overview (issue 11, item 10) and the audit log in words (item 11), through tRPC against the real database:
 * counts only for those who may read what they count, recent events with people by name and email, and the audit
 * list's actor filter, suggestions and inclusive date range.
 */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "../../server/services/audit/list-audit-events.ts";
import { createJoinRequest } from "../../server/services/join-requests/create-join-request.ts";
import { getTenantOverview } from "../../server/services/tenants/get-tenant-overview.ts";
import { actorOf } from "../helpers/access-factories.ts";
import { countStatements } from "../helpers/statement-counter.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createTenantWithOwner, createUnitIn, signIn, uniqueEmail, uniqueId, type TestTenant, type TestUser } from "../helpers/factories.ts";

const t = useTestDb();
type Member = { user: TestUser; membership: { id: number } };
let tenant: TestTenant;
let owner: TestUser;
let manager: Member;
let accountant: Member;
let worker: Member;
let jo: Member;
const tag = uniqueId();
const invitee = uniqueEmail(`invitee${tag}`);

async function named(user: { id: number }, firstName: string, lastName: string) {
  await t.db.user.update({ where: { id: user.id }, data: { firstName, lastName } });
}
const callerOf = async (u: TestUser) => (await signIn(t.db, u)).caller;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  const w = await createTenantWithOwner(t.db, { name: `Overview ${tag}` });
  tenant = w.tenant;
  owner = w.owner;
  await named(owner, "Maria", "Novak");
  await createUnitIn(t.db, tenant, { name: "Berlin" });
  await createUnitIn(t.db, tenant, { name: "Paris" });
  manager = await addMemberWithRole(t.db, tenant, { role: "manager" });
  await named(manager.user, "Sam", "Lee");
  accountant = await addMemberWithRole(t.db, tenant, { role: "accountant" });
  worker = await addMemberWithRole(t.db, tenant, { role: "worker" });
  jo = await addMemberWithRole(t.db, tenant, { role: "worker", email: uniqueEmail(`jo${tag}`) });
  await named(jo.user, "Jo", "Berg");
  const asOwner = await callerOf(owner);
  await asOwner.invitations.create({ tenant: tenant.slug, email: invitee, roles: ["worker"], sendEmail: false });
  await t.db.tenant.update({ where: { id: tenant.id }, data: { joinPolicy: "REQUEST" } });
  const outsider = await createTenantWithOwner(t.db);
  await createJoinRequest(t.db, { userId: outsider.owner.id, tenantSlug: tenant.slug, message: "Let me in" });
  await asOwner.members.setRoles({ tenant: tenant.slug, id: jo.membership.id, roles: ["administrator"], hasFullAccess: false });
  const alex = await addMemberWithRole(t.db, tenant, { role: "worker", email: uniqueEmail(`alex${tag}`) });
  await asOwner.members.remove({ tenant: tenant.slug, id: alex.membership.id });
});

describe("tenants.overview", () => {
  it("should show the owner every count, each of what is there now", async () => {
    const o = await (await callerOf(owner)).tenants.overview({ tenant: tenant.slug });
    // Owner, manager, accountant, worker and Jo (Alex was removed).
    expect(o.counts).toEqual({ activeMembers: 5, pendingInvitations: 1, openRequests: 1, units: 2 });
  });

  it("should show a worker no count and no events", async () => {
    const o = await (await callerOf(worker.user)).tenants.overview({ tenant: tenant.slug });
    expect(o).toEqual({ counts: { activeMembers: null, pendingInvitations: null, openRequests: null, units: null }, recent: null });
  });

  it("should show an accountant members and units but neither invitations, requests nor events", async () => {
    const o = await (await callerOf(accountant.user)).tenants.overview({ tenant: tenant.slug });
    expect(o).toEqual({ counts: { activeMembers: 5, pendingInvitations: null, openRequests: null, units: 2 }, recent: null });
  });

  it("should show a manager every count and the recent events (members.invite, requests.manage, audit.read)", async () => {
    const o = await (await callerOf(manager.user)).tenants.overview({ tenant: tenant.slug });
    expect(o.counts).toEqual({ activeMembers: 5, pendingInvitations: 1, openRequests: 1, units: 2 });
    expect(o.recent).not.toBeNull();
  });

  it("should list the last 10 events newest first with actors and targets by name and email, a removed member by the email recorded", async () => {
    const o = await (await callerOf(owner)).tenants.overview({ tenant: tenant.slug });
    expect(o.recent).toHaveLength(10);
    const [removed, added, roles] = o.recent!;
    expect(removed).toMatchObject({ action: "member.removed", actor: { name: "Maria Novak", email: owner.email }, target: { email: expect.stringContaining(`alex${tag}`) } });
    expect(added?.action).toBe("member.added");
    expect(roles).toMatchObject({ action: "member.roles_changed", actor: { name: "Maria Novak" }, target: { label: "Jo Berg", name: "Jo Berg", email: jo.user.email } });
    const invited = o.recent!.find((e) => e.action === "invitation.created");
    expect(invited).toMatchObject({ target: { label: invitee, email: invitee } });
    expect(JSON.stringify(o.recent)).not.toMatch(/membership #|user #/);
  });
});

describe("audit.list in words and filters", () => {
  it("should filter by an actor's exact email, and by part of their name", async () => {
    const asOwner = await callerOf(owner);
    const byEmail = await asOwner.audit.list({ tenant: tenant.slug, actor: owner.email.toUpperCase() });
    expect(byEmail.items.length).toBeGreaterThan(0);
    expect(byEmail.items.every((e) => e.actor.email === owner.email)).toBe(true);
    const byName = await asOwner.audit.list({ tenant: tenant.slug, actor: "novak" });
    expect(byName.items.map((e) => e.id)).toEqual(byEmail.items.map((e) => e.id));
    const nobody = await asOwner.audit.list({ tenant: tenant.slug, actor: `nobody-${tag}` });
    expect(nobody.items).toEqual([]);
  });

  it("should suggest the tenant's members by part of a name or email, and only to those with audit.read", async () => {
    const found = await (await callerOf(manager.user)).audit.actors({ tenant: tenant.slug, query: "Berg" });
    expect(found).toEqual([{ userId: jo.user.id, name: "Jo Berg", email: jo.user.email }]);
    expect(await codeOf((await callerOf(worker.user)).audit.actors({ tenant: tenant.slug, query: "Berg" }))).toBe("FORBIDDEN");
  });

  it("should include both ends of a date range and refuse one that ends before it starts, naming the field", async () => {
    const asOwner = await callerOf(owner);
    const all = await asOwner.audit.list({ tenant: tenant.slug, limit: 100 });
    const newest = all.items[0]!.createdAt;
    const inRange = await asOwner.audit.list({ tenant: tenant.slug, from: newest, to: new Date(newest.getTime() + 1), limit: 100 });
    expect(inRange.items.map((e) => e.id)).toContain(all.items[0]!.id);
    const before = new Date(newest.getTime() - 86_400_000);
    let issue: unknown;
    try {
      await asOwner.audit.list({ tenant: tenant.slug, from: newest, to: before });
    } catch (e) {
      issue = e;
    }
    expect(issue).toBeInstanceOf(TRPCError);
    expect((issue as TRPCError).code).toBe("UNPROCESSABLE_CONTENT");
    expect((issue as TRPCError).message).toMatch(/end date must be on or after the start date/);
  });

  it("should read a page of the list in one statement and the overview in two, whatever they show", async () => {
    const actor = await actorOf(t.db, tenant, owner.id);
    const list = await countStatements(() => listAuditEvents(t.db, actor, { limit: 100 }));
    expect(list.result.items.length).toBeGreaterThan(10);
    expect(list.count, list.sql.join("\n")).toBe(1);
    const overview = await countStatements(() => getTenantOverview(t.db, actor));
    expect(overview.count, overview.sql.join("\n")).toBe(2);
  });
});
