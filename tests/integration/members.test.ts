/** The members router (list, filterOptions, get, updateProfile, setRoles, suspend, reactivate, remove, leave) against a real database. */
import { describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import {
  addMemberWithRole,
  createTenantWithOwner,
  createUnitIn,
  signIn,
  suspendMembership,
  uniqueId,
  type TestTenant,
} from "../helpers/factories.ts";
import { addNamedMember } from "../helpers/members-factories.ts";

const t = useTestDb();

/** A tenant with one member of each built-in role, each with a signed-in caller. */
async function team() {
  const { tenant, owner, membership } = await createTenantWithOwner(t.db);
  const add = async (role: string) => {
    const m = await addMemberWithRole(t.db, tenant, { role });
    return { ...m, caller: (await signIn(t.db, m.user)).caller };
  };
  const [administrator, manager, accountant, worker, client] = await Promise.all(
    ["administrator", "manager", "accountant", "worker", "client"].map(add),
  );
  return {
    tenant, slug: tenant.slug,
    owner: { user: owner, membership, caller: (await signIn(t.db, owner)).caller },
    administrator: administrator!, manager: manager!, accountant: accountant!, worker: worker!, client: client!,
  };
}

const events = (tenant: TestTenant, targetId: number) =>
  t.db.auditEvent.findMany({
    where: { tenantId: tenant.id, targetType: "membership", targetId: String(targetId), action: { not: "member.added" } },
    orderBy: { id: "asc" },
    select: { action: true, actorType: true, actorUserId: true, before: true, after: true },
  });

describe("members.list", () => {
  it("should page through every member exactly once with a stable order and a constant total, even with equal sort keys", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    for (let i = 0; i < 7; i++) await addNamedMember(t.db, tenant, { firstName: "Same", lastName: "Name" });
    const { caller } = await signIn(t.db, owner);
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await caller.members.list({ tenant: tenant.slug, sort: "name", pageSize: 3, page });
      expect(res.total).toBe(8);
      expect(res.page).toBe(page);
      seen.push(...res.items.map((i) => i.id));
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    const again = await caller.members.list({ tenant: tenant.slug, sort: "name", pageSize: 3, page: 2 });
    expect(again.items.map((i) => i.id)).toEqual(seen.slice(3, 6));
    const beyond = await caller.members.list({ tenant: tenant.slug, pageSize: 3, page: 9 });
    expect(beyond).toMatchObject({ items: [], total: 8 });
  });

  it("should search name, email and phone case-insensitively, every word matching somewhere", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const tag = uniqueId();
    const ada = await addNamedMember(t.db, tenant, { firstName: "Ada", lastName: `Lovelace${tag}`, phone: "+447700900123" });
    const alan = await addNamedMember(t.db, tenant, { firstName: "Alan", lastName: `Turing${tag}`, email: `alan.${tag}@example.test` });
    const { caller } = await signIn(t.db, owner);
    const ids = async (search: string) => (await caller.members.list({ tenant: tenant.slug, search })).items.map((i) => i.id).sort();
    expect(await ids(`LOVELACE${tag}`)).toEqual([ada.membership.id]);
    expect(await ids(`ALAN.${tag}@EXAMPLE`)).toEqual([alan.membership.id]);
    expect(await ids("7700900")).toEqual([ada.membership.id]);
    expect(await ids(`ada lovelace${tag}`)).toEqual([ada.membership.id]);
    expect(await ids(`ada turing${tag}`)).toEqual([]);
    expect(await ids(tag)).toEqual([ada.membership.id, alan.membership.id].sort());
  });

  it("should filter by status, kind, role, unit and full access", async () => {
    const { tenant, owner, membership: ownerM } = await createTenantWithOwner(t.db);
    const unit = await createUnitIn(t.db, tenant);
    const manager = await addMemberWithRole(t.db, tenant, { role: "manager", unitIds: [unit.id] });
    const client = await addMemberWithRole(t.db, tenant, { client: true });
    const suspended = await addMemberWithRole(t.db, tenant, { role: "worker" });
    await suspendMembership(t.db, suspended.membership.id);
    const { caller } = await signIn(t.db, owner);
    const ids = async (f: Record<string, unknown>) =>
      (await caller.members.list({ tenant: tenant.slug, ...f })).items.map((i) => i.id).sort((a, b) => a - b);
    expect(await ids({ status: "SUSPENDED" })).toEqual([suspended.membership.id]);
    expect(await ids({ kind: "CLIENT" })).toEqual([client.membership.id]);
    expect(await ids({ role: "manager" })).toEqual([manager.membership.id]);
    expect(await ids({ unitId: unit.id })).toEqual([manager.membership.id]);
    expect(await ids({ hasFullAccess: true })).toEqual([ownerM.id]);
    expect(await ids({ status: "ACTIVE", kind: "MEMBER", hasFullAccess: false })).toEqual([manager.membership.id]);
  });

  it("should sort by email both ways and put never-signed-in members last by last login", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const tag = uniqueId();
    const a = await addNamedMember(t.db, tenant, { email: `a-${tag}@example.test` });
    const b = await addNamedMember(t.db, tenant, { email: `b-${tag}@example.test` });
    await t.db.user.update({ where: { id: b.user.id }, data: { lastLoginAt: new Date("2026-01-01T00:00:00Z") } });
    const { caller } = await signIn(t.db, owner);
    const list = async (sort: "email" | "lastLogin", direction: "asc" | "desc") =>
      (await caller.members.list({ tenant: tenant.slug, sort, direction, search: tag })).items.map((i) => i.id);
    expect(await list("email", "asc")).toEqual([a.membership.id, b.membership.id]);
    expect(await list("email", "desc")).toEqual([b.membership.id, a.membership.id]);
    expect(await list("lastLogin", "asc")).toEqual([b.membership.id, a.membership.id]);
    expect(await list("lastLogin", "desc")).toEqual([b.membership.id, a.membership.id]);
  });

  it("should sort by the name as shown (display name, else first and last name, else email), ignoring case, both ways", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const tag = uniqueId();
    // Last names alone would give the opposite order: the list must follow what it shows.
    const zoe = await addNamedMember(t.db, tenant, { firstName: "Zoe", lastName: "Adams", email: `m1-${tag}@example.test` });
    const nick = await addNamedMember(t.db, tenant, { firstName: "Aaron", lastName: "Zimmer", email: `m2-${tag}@example.test` });
    await t.db.user.update({ where: { id: nick.user.id }, data: { displayName: "Mo" } });
    const unnamed = await addNamedMember(t.db, tenant, { email: `bea-${tag}@example.test` });
    const lower = await addNamedMember(t.db, tenant, { firstName: "carl", lastName: "Young", email: `m3-${tag}@example.test` });
    const { caller } = await signIn(t.db, owner);
    const order = async (direction: "asc" | "desc") =>
      (await caller.members.list({ tenant: tenant.slug, sort: "name", direction, search: tag })).items.map((i) => i.id);
    // "bea-…@example.test", "carl Young", "Mo", "Zoe Adams"
    const expected = [unnamed, lower, nick, zoe].map((m) => m.membership.id);
    expect(await order("asc")).toEqual(expected);
    expect(await order("desc")).toEqual([...expected].reverse());
  });

  it("should find nothing for another tenant's role or unit, and never list another tenant's members through them", async () => {
    const mine = await createTenantWithOwner(t.db);
    const other = await createTenantWithOwner(t.db);
    const theirUnit = await createUnitIn(t.db, other.tenant);
    await addMemberWithRole(t.db, other.tenant, { role: "worker", unitIds: [theirUnit.id] });
    const theirRole = await t.db.role.create({ data: { tenantId: other.tenant.id, slug: `only-${uniqueId()}`, title: "Theirs", weight: 30 } });
    const { caller } = await signIn(t.db, mine.owner);
    await expect(caller.members.list({ tenant: mine.tenant.slug, unitId: theirUnit.id })).resolves.toMatchObject({ items: [], total: 0 });
    await expect(caller.members.list({ tenant: mine.tenant.slug, role: theirRole.slug })).resolves.toMatchObject({ items: [], total: 0 });
    const options = await caller.members.filterOptions({ tenant: mine.tenant.slug });
    expect(options.roles.map((r) => r.slug)).not.toContain(theirRole.slug);
    expect(options.units).toEqual([]);
  });

  it("should offer a role change on exactly the rows the caller may change, and only the roles it may give", async () => {
    const s = await team();
    const changeable = async (who: { caller: typeof s.owner.caller }) =>
      Object.fromEntries((await who.caller.members.list({ tenant: s.slug })).items.map((i) => [i.roles[0], i.canChangeRoles]));
    expect(await changeable(s.owner)).toEqual({ owner: true, administrator: true, manager: true, accountant: true, worker: true, client: true });
    expect(await changeable(s.administrator)).toEqual({ owner: false, administrator: false, manager: true, accountant: true, worker: true, client: true });
    expect(await changeable(s.manager)).toEqual({ owner: false, administrator: false, manager: false, accountant: false, worker: false, client: false });
    const assignable = async (who: { caller: typeof s.owner.caller }) =>
      (await who.caller.members.filterOptions({ tenant: s.slug })).roles.filter((r) => r.assignable).map((r) => r.slug);
    expect(await assignable(s.owner)).toEqual(["owner", "administrator", "manager", "accountant", "worker", "client"]);
    expect(await assignable(s.administrator)).toEqual(["manager", "accountant", "worker", "client"]);
    expect(await assignable(s.manager)).toEqual([]);
  });

  it("should give the avatar thumbnail's address of a member who uploaded one, and null for the others", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const pictured = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const thumb = "b".repeat(64);
    await t.db.user.update({ where: { id: pictured.user.id }, data: { avatar: { blobId: "a".repeat(64), thumbnailBlobId: thumb, width: 256, height: 256 } } });
    const { caller } = await signIn(t.db, owner);
    const items = (await caller.members.list({ tenant: tenant.slug })).items;
    expect(items.find((i) => i.id === pictured.membership.id)!.avatarUrl).toBe(`/avatars/${thumb}`);
    expect(items.find((i) => i.userId === owner.id)!.avatarUrl).toBeNull();
  });

  it("should return exactly the summary fields and never another tenant's members", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const other = await createTenantWithOwner(t.db);
    await addMemberWithRole(t.db, other.tenant);
    const { caller } = await signIn(t.db, owner);
    const res = await caller.members.list({ tenant: tenant.slug });
    expect(res.total).toBe(1);
    expect(Object.keys(res.items[0]!).sort()).toEqual(
      ["avatarUrl", "canChangeRoles", "createdAt", "displayName", "email", "firstName", "hasFullAccess", "id", "kind", "lastLoginAt", "lastName", "pendingVerification", "phone", "roles", "status", "tenantId", "twoFactor", "userId"],
    );
    expect(res.items[0]).toMatchObject({ userId: owner.id, email: owner.email, roles: ["owner"], hasFullAccess: true, status: "ACTIVE" });
  });

  it("should refuse a page size above 100 with UNPROCESSABLE naming the field by its label", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, owner);
    await expect(caller.members.list({ tenant: tenant.slug, pageSize: 101 })).rejects.toMatchObject({
      code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/^Page size: /),
    });
  });

  it("should let an accountant read and deny a worker and a client user (members.read)", async () => {
    const s = await team();
    await expect(s.accountant.caller.members.list({ tenant: s.slug })).resolves.toMatchObject({ total: 6 });
    await expect(s.accountant.caller.members.filterOptions({ tenant: s.slug })).resolves.toMatchObject({ roles: expect.any(Array) });
    for (const who of [s.worker, s.client]) {
      await expect(who.caller.members.list({ tenant: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN", message: "Access denied." });
      await expect(who.caller.members.filterOptions({ tenant: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("should refuse a suspended caller with FORBIDDEN and a non-member with NOT_FOUND", async () => {
    const s = await team();
    await suspendMembership(t.db, s.administrator.membership.id);
    await expect(s.administrator.caller.members.list({ tenant: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stranger = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, stranger.owner);
    await expect(caller.members.list({ tenant: s.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("members.filterOptions", () => {
  it("should list the tenant's roles by rank and its live units", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const unit = await createUnitIn(t.db, tenant, { name: "Main street", kind: "PROJECT" });
    const { caller } = await signIn(t.db, owner);
    const res = await caller.members.filterOptions({ tenant: tenant.slug });
    expect(res.roles.map((r) => r.slug)).toEqual(["owner", "administrator", "manager", "accountant", "worker", "client"]);
    expect(res.units).toEqual([{ id: unit.id, name: "Main street", kind: "PROJECT" }]);
  });
});

describe("members.get", () => {
  it("should return profile, roles, unit access and what the viewer may do", async () => {
    const s = await team();
    const unit = await createUnitIn(t.db, s.tenant, { kind: "SUBSIDIARY" });
    const w = await addNamedMember(t.db, s.tenant, { role: "worker", firstName: "Wanda", lastName: "Worker", unitIds: [unit.id] });
    const got = await s.administrator.caller.members.get({ tenant: s.slug, id: w.membership.id });
    expect(got).toMatchObject({
      id: w.membership.id, userId: w.user.id, tenantId: s.tenant.id, email: w.user.email, firstName: "Wanda", lastName: "Worker",
      status: "ACTIVE", kind: "MEMBER", roles: ["worker"], hasFullAccess: false, language: "en", verified: true, lastLoginAt: null,
      units: [{ unitId: unit.id, name: unit.name, kind: "SUBSIDIARY", role: "worker", status: "ACTIVE", archived: false }],
    });
    expect(got.viewer).toMatchObject({ isSelf: false, canEditProfile: true, canChangeRoles: true, canGrantFullAccess: false, canSuspend: true, canRemove: true });
    expect(got.viewer.roleOptions.filter((r) => r.assignable).map((r) => r.slug)).toEqual(["manager", "accountant", "worker", "client"]);

    const ofOwner = await s.administrator.caller.members.get({ tenant: s.slug, id: s.owner.membership.id });
    expect(ofOwner.viewer).toMatchObject({ canEditProfile: false, canChangeRoles: false, canSuspend: false, canRemove: false });
    const bySelf = await s.owner.caller.members.get({ tenant: s.slug, id: s.owner.membership.id });
    expect(bySelf.viewer).toMatchObject({ isSelf: true, canSuspend: false, canGrantFullAccess: true });
  });

  it("should answer NOT_FOUND alike for another tenant's membership id and a missing one", async () => {
    const s = await team();
    const other = await createTenantWithOwner(t.db);
    const foreign = await s.owner.caller.members.get({ tenant: s.slug, id: other.membership.id }).catch((e: unknown) => e);
    const missing = await s.owner.caller.members.get({ tenant: s.slug, id: 2_000_000_000 }).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ code: "NOT_FOUND", message: "Member not found." });
    expect(missing).toMatchObject({ code: "NOT_FOUND", message: "Member not found." });
  });

  it("should deny a worker (members.read)", async () => {
    const s = await team();
    await expect(s.worker.caller.members.get({ tenant: s.slug, id: s.manager.membership.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("members.updateProfile", () => {
  it("should let an administrator edit a manager's profile and audit before/after in the same transaction", async () => {
    const s = await team();
    const res = await s.administrator.caller.members.updateProfile({
      tenant: s.slug, id: s.manager.membership.id, firstName: "Mia", lastName: "Manager", phone: "+14155550100", language: "de",
    });
    expect(res).toMatchObject({ firstName: "Mia", lastName: "Manager", phone: "+14155550100", language: "de" });
    expect(await events(s.tenant, s.manager.membership.id)).toEqual([
      {
        action: "member.profile_changed", actorType: "USER", actorUserId: s.administrator.user.id,
        before: { userId: s.manager.user.id, firstName: null, lastName: null, phone: null, language: "en" },
        after: { userId: s.manager.user.id, firstName: "Mia", lastName: "Manager", phone: "+14155550100", language: "de" },
      },
    ]);
    // Nothing changed: nothing recorded.
    await s.administrator.caller.members.updateProfile({ tenant: s.slug, id: s.manager.membership.id, firstName: "Mia" });
    expect(await events(s.tenant, s.manager.membership.id)).toHaveLength(1);
  });

  it("should refuse a phone number that is not E.164 with UNPROCESSABLE naming the field", async () => {
    const s = await team();
    await expect(
      s.owner.caller.members.updateProfile({ tenant: s.slug, id: s.worker.membership.id, phone: "0044 7700 900123" }),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("phone") });
  });

  it("should refuse editing a peer or a superior with FORBIDDEN, and let an owner edit anyone", async () => {
    const s = await team();
    const peer = await addMemberWithRole(t.db, s.tenant, { role: "administrator" });
    for (const id of [peer.membership.id, s.owner.membership.id, s.administrator.membership.id]) {
      await expect(s.administrator.caller.members.updateProfile({ tenant: s.slug, id, firstName: "X" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(s.owner.caller.members.updateProfile({ tenant: s.slug, id: peer.membership.id, firstName: "Pat" })).resolves.toMatchObject({ firstName: "Pat" });
  });

  it("should deny a manager, an accountant and a worker (members.update)", async () => {
    const s = await team();
    for (const who of [s.manager, s.accountant, s.worker]) {
      await expect(who.caller.members.updateProfile({ tenant: s.slug, id: s.client.membership.id, firstName: "X" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("should answer NOT_FOUND for another tenant's membership", async () => {
    const s = await team();
    const other = await createTenantWithOwner(t.db);
    const m = await addMemberWithRole(t.db, other.tenant);
    await expect(s.owner.caller.members.updateProfile({ tenant: s.slug, id: m.membership.id, firstName: "X" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: m.user.id } })).firstName).toBeNull();
  });
});

describe("members.setRoles", () => {
  it("should let an administrator make a worker a manager and audit the change", async () => {
    const s = await team();
    const res = await s.administrator.caller.members.setRoles({ tenant: s.slug, id: s.worker.membership.id, roles: ["manager", "accountant"], hasFullAccess: false });
    expect(res.roles).toEqual(["manager", "accountant"]);
    expect(await events(s.tenant, s.worker.membership.id)).toEqual([
      { action: "member.roles_changed", actorType: "USER", actorUserId: s.administrator.user.id, before: { roles: ["worker"] }, after: { roles: ["manager", "accountant"] } },
    ]);
    // The new permissions apply at the worker's next request.
    await expect(s.worker.caller.members.list({ tenant: s.slug })).resolves.toMatchObject({ total: 6 });
  });

  it("should refuse an administrator assigning administrator or owner, or granting full access", async () => {
    const s = await team();
    const id = s.worker.membership.id;
    await expect(s.administrator.caller.members.setRoles({ tenant: s.slug, id, roles: ["administrator"], hasFullAccess: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.administrator.caller.members.setRoles({ tenant: s.slug, id, roles: ["owner"], hasFullAccess: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.administrator.caller.members.setRoles({ tenant: s.slug, id, roles: ["worker"], hasFullAccess: true })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("full access") });
    expect(await events(s.tenant, id)).toEqual([]);
  });

  it("should let an owner make another owner with full access, who may then demote the first", async () => {
    const s = await team();
    await s.owner.caller.members.setRoles({ tenant: s.slug, id: s.administrator.membership.id, roles: ["owner"], hasFullAccess: true });
    const res = await s.administrator.caller.members.setRoles({ tenant: s.slug, id: s.owner.membership.id, roles: ["administrator"], hasFullAccess: false });
    expect(res).toMatchObject({ roles: ["administrator"], hasFullAccess: false });
    const actions = (await events(s.tenant, s.owner.membership.id)).map((e) => e.action);
    expect(actions).toEqual(["member.roles_changed", "member.full_access_changed"]);
  });

  it("should refuse demoting or stripping the last owner with CONFLICT, whoever asks, the owner included", async () => {
    const s = await team();
    const id = s.owner.membership.id;
    await expect(s.owner.caller.members.setRoles({ tenant: s.slug, id, roles: ["administrator"], hasFullAccess: true })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(s.owner.caller.members.setRoles({ tenant: s.slug, id, roles: ["owner"], hasFullAccess: false })).rejects.toMatchObject({ code: "CONFLICT" });
    // CONFLICT takes precedence over the administrator's own FORBIDDEN.
    await expect(s.administrator.caller.members.setRoles({ tenant: s.slug, id, roles: ["worker"], hasFullAccess: false })).rejects.toMatchObject({
      code: "CONFLICT", message: "This is the tenant's last owner. Make another member owner first.",
    });
    expect(await events(s.tenant, id)).toEqual([]);
  });

  it("should refuse a manager (no members.update) demoting the last owner with CONFLICT, not FORBIDDEN, and write nothing", async () => {
    const s = await team();
    const id = s.owner.membership.id;
    await expect(s.manager.caller.members.setRoles({ tenant: s.slug, id, roles: ["worker"], hasFullAccess: false })).rejects.toMatchObject({ code: "CONFLICT" });
    const row = await t.db.membership.findFirstOrThrow({ where: { id }, include: { roles: { include: { role: true } } } });
    expect(row.roles.map((r) => r.role.slug)).toEqual(["owner"]);
    expect(row.hasFullAccess).toBe(true);
    expect(await events(s.tenant, id)).toEqual([]);
  });

  it("should refuse an unknown role with UNPROCESSABLE naming roles[i]", async () => {
    const s = await team();
    await expect(s.owner.caller.members.setRoles({ tenant: s.slug, id: s.worker.membership.id, roles: ["worker", "wizard"], hasFullAccess: false })).rejects.toMatchObject({
      code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("roles[1]"),
    });
  });

  it("should deny a manager, an accountant and a worker (members.update)", async () => {
    const s = await team();
    for (const who of [s.manager, s.accountant, s.worker]) {
      await expect(who.caller.members.setRoles({ tenant: s.slug, id: s.client.membership.id, roles: ["worker"], hasFullAccess: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });
});

describe("members.suspend / members.reactivate", () => {
  it("should cut a suspended member's access at the next request and restore it on reactivation, auditing both", async () => {
    const s = await team();
    const id = s.accountant.membership.id;
    await expect(s.accountant.caller.members.list({ tenant: s.slug })).resolves.toBeDefined();
    expect(await s.administrator.caller.members.suspend({ tenant: s.slug, id })).toMatchObject({ id, status: "SUSPENDED" });
    await expect(s.accountant.caller.members.list({ tenant: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Suspending again changes nothing.
    await s.administrator.caller.members.suspend({ tenant: s.slug, id });
    expect(await s.administrator.caller.members.reactivate({ tenant: s.slug, id })).toMatchObject({ status: "ACTIVE" });
    await expect(s.accountant.caller.members.list({ tenant: s.slug })).resolves.toBeDefined();
    expect(await events(s.tenant, id)).toEqual([
      { action: "member.suspended", actorType: "USER", actorUserId: s.administrator.user.id, before: { status: "ACTIVE" }, after: { status: "SUSPENDED" } },
      { action: "member.reactivated", actorType: "USER", actorUserId: s.administrator.user.id, before: { status: "SUSPENDED" }, after: { status: "ACTIVE" } },
    ]);
  });

  it("should refuse suspending the last owner with CONFLICT, whoever asks, the owner included", async () => {
    const s = await team();
    for (const who of [s.owner, s.administrator, s.worker]) {
      await expect(who.caller.members.suspend({ tenant: s.slug, id: s.owner.membership.id })).rejects.toMatchObject({ code: "CONFLICT" });
    }
    expect((await t.db.membership.findFirstOrThrow({ where: { id: s.owner.membership.id } })).status).toBe("ACTIVE");
  });

  it("should refuse suspending oneself and a peer or superior with FORBIDDEN", async () => {
    const s = await team();
    const peer = await addMemberWithRole(t.db, s.tenant, { role: "administrator" });
    for (const id of [s.administrator.membership.id, peer.membership.id]) {
      await expect(s.administrator.caller.members.suspend({ tenant: s.slug, id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("should deny a manager, an accountant and a worker (members.remove) both ways", async () => {
    const s = await team();
    await suspendMembership(t.db, s.client.membership.id);
    for (const who of [s.manager, s.accountant, s.worker]) {
      await expect(who.caller.members.suspend({ tenant: s.slug, id: s.client.membership.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(who.caller.members.reactivate({ tenant: s.slug, id: s.client.membership.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("should answer NOT_FOUND for another tenant's membership", async () => {
    const s = await team();
    const other = await addMemberWithRole(t.db, (await createTenantWithOwner(t.db)).tenant);
    await expect(s.owner.caller.members.suspend({ tenant: s.slug, id: other.membership.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(s.owner.caller.members.reactivate({ tenant: s.slug, id: other.membership.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("members.remove", () => {
  it("should delete the membership with its roles and unit access, keep a before-snapshot in the audit log, and return the member as it was", async () => {
    const s = await team();
    const unit = await createUnitIn(t.db, s.tenant, { kind: "PROJECT" });
    const w = await addMemberWithRole(t.db, s.tenant, { role: "worker", unitIds: [unit.id] });
    const removed = await s.administrator.caller.members.remove({ tenant: s.slug, id: w.membership.id });
    expect(removed).toMatchObject({ id: w.membership.id, email: w.user.email, roles: ["worker"], units: [{ unitId: unit.id, kind: "PROJECT" }] });
    expect(await t.db.membership.findFirst({ where: { id: w.membership.id } })).toBeNull();
    expect(await t.db.unitAccess.count({ where: { membershipId: w.membership.id } })).toBe(0);
    expect(await t.db.membershipRole.count({ where: { membershipId: w.membership.id } })).toBe(0);
    expect(await t.db.user.findUnique({ where: { id: w.user.id } })).not.toBeNull();
    expect(await events(s.tenant, w.membership.id)).toEqual([
      {
        action: "member.removed", actorType: "USER", actorUserId: s.administrator.user.id, after: null,
        before: {
          userId: w.user.id, email: w.user.email, firstName: null, lastName: null, status: "ACTIVE", kind: "MEMBER",
          roles: ["worker"], hasFullAccess: false, units: [{ unitId: unit.id, role: "worker", status: "ACTIVE" }],
        },
      },
    ]);
    await expect(w.user && (await signIn(t.db, w.user)).caller.tenants.current({ tenant: s.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("should refuse removing the last owner with CONFLICT, whoever asks, and write nothing", async () => {
    const s = await team();
    const before = await t.db.auditEvent.count({ where: { tenantId: s.tenant.id } });
    for (const who of [s.owner, s.administrator]) {
      await expect(who.caller.members.remove({ tenant: s.slug, id: s.owner.membership.id })).rejects.toMatchObject({ code: "CONFLICT" });
    }
    expect(await t.db.auditEvent.count({ where: { tenantId: s.tenant.id } })).toBe(before);
    expect(await t.db.membership.findFirst({ where: { id: s.owner.membership.id } })).not.toBeNull();
  });

  it("should refuse a worker (no members.remove) removing the last owner with CONFLICT, not FORBIDDEN, and write nothing", async () => {
    const s = await team();
    const before = await t.db.auditEvent.count({ where: { tenantId: s.tenant.id } });
    await expect(s.worker.caller.members.remove({ tenant: s.slug, id: s.owner.membership.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await t.db.auditEvent.count({ where: { tenantId: s.tenant.id } })).toBe(before);
    expect(await t.db.membership.findFirst({ where: { id: s.owner.membership.id } })).not.toBeNull();
  });

  it("should refuse an administrator removing a second owner with FORBIDDEN", async () => {
    const s = await team();
    await s.owner.caller.members.setRoles({ tenant: s.slug, id: s.manager.membership.id, roles: ["owner"], hasFullAccess: true });
    await expect(s.administrator.caller.members.remove({ tenant: s.slug, id: s.manager.membership.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("should treat an owner removing themselves (another owner remaining) as leaving", async () => {
    const s = await team();
    await s.owner.caller.members.setRoles({ tenant: s.slug, id: s.administrator.membership.id, roles: ["owner"], hasFullAccess: true });
    await s.owner.caller.members.remove({ tenant: s.slug, id: s.owner.membership.id });
    expect((await events(s.tenant, s.owner.membership.id)).map((e) => e.action)).toEqual(["member.left"]);
  });

  it("should deny a manager, an accountant and a worker (members.remove)", async () => {
    const s = await team();
    for (const who of [s.manager, s.accountant, s.worker]) {
      await expect(who.caller.members.remove({ tenant: s.slug, id: s.client.membership.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await t.db.membership.findFirst({ where: { id: s.client.membership.id } })).not.toBeNull();
  });

  it("should answer NOT_FOUND for another tenant's membership and leave it alone", async () => {
    const s = await team();
    const other = await addMemberWithRole(t.db, (await createTenantWithOwner(t.db)).tenant);
    await expect(s.owner.caller.members.remove({ tenant: s.slug, id: other.membership.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Member not found." });
    expect(await t.db.membership.findFirst({ where: { id: other.membership.id } })).not.toBeNull();
  });
});

describe("members.leave", () => {
  it("should let any member leave, recording member.left", async () => {
    const s = await team();
    const left = await s.worker.caller.members.leave({ tenant: s.slug });
    expect(left).toMatchObject({ id: s.worker.membership.id, roles: ["worker"] });
    expect(await t.db.membership.findFirst({ where: { id: s.worker.membership.id } })).toBeNull();
    expect((await events(s.tenant, s.worker.membership.id)).map((e) => [e.action, e.actorUserId])).toEqual([["member.left", s.worker.user.id]]);
    await expect(s.worker.caller.tenants.current({ tenant: s.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("should refuse the last owner with CONFLICT telling them to make another member owner first", async () => {
    const s = await team();
    await expect(s.owner.caller.members.leave({ tenant: s.slug })).rejects.toMatchObject({
      code: "CONFLICT", message: expect.stringContaining("Make another member owner first"),
    });
    await s.owner.caller.members.setRoles({ tenant: s.slug, id: s.administrator.membership.id, roles: ["owner"], hasFullAccess: true });
    await expect(s.owner.caller.members.leave({ tenant: s.slug })).resolves.toMatchObject({ id: s.owner.membership.id });
  });

  it("should refuse a suspended member with FORBIDDEN", async () => {
    const s = await team();
    await suspendMembership(t.db, s.worker.membership.id);
    await expect(s.worker.caller.members.leave({ tenant: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
