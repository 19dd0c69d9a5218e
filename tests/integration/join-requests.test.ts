/** Join requests (create, accept, deny, listPending, the OPEN sign-up, the landing state) against a real database. */
import { describe, expect, it } from "vitest";
import { outboxMailer } from "../../server/email/transport.ts";
import { runDueJobs } from "../../server/jobs/queue.ts";
import { acceptJoinRequest } from "../../server/services/join-requests/accept-join-request.ts";
import { createJoinRequest } from "../../server/services/join-requests/create-join-request.ts";
import { denyJoinRequest } from "../../server/services/join-requests/deny-join-request.ts";
import { getJoinLanding } from "../../server/services/join-requests/get-join-landing.ts";
import { listPendingJoinRequests } from "../../server/services/join-requests/list-pending-join-requests.ts";
import { SIGN_UP_DONE, signUpForJoin } from "../../server/services/join-requests/sign-up-for-join.ts";
import { LIMITS } from "../../server/security/rate-limit.ts";
import { accessWorld, callerOf } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, createUnitIn, signIn, TEST_META, uniqueEmail, type TestTenant } from "../helpers/factories.ts";

const t = useTestDb();
const PASSWORD = "long-enough-password";

const setPolicy = (tenant: TestTenant, joinPolicy: "CLOSED" | "REQUEST" | "OPEN") => t.db.tenant.update({ where: { id: tenant.id }, data: { joinPolicy } });
const newUser = (label = "requester") => t.db.user.create({ data: { email: uniqueEmail(label), firstName: "Rita", lastName: "Quest" } });
const writes = async (tenant: TestTenant) => ({
  requests: await t.db.joinRequest.count({ where: { tenantId: tenant.id } }),
  audit: await t.db.auditEvent.count({ where: { tenantId: tenant.id, action: { startsWith: "join_request." } } }),
  emails: await t.db.emailDelivery.count({ where: { tenantId: tenant.id, refType: "join_request" } }),
  members: await t.db.membership.count({ where: { tenantId: tenant.id } }),
});

async function worldWithRequest() {
  const w = await accessWorld(t.db);
  await setPolicy(w.tenant, "REQUEST");
  const user = await newUser();
  const request = await createJoinRequest(t.db, { userId: user.id, tenantSlug: w.tenant.slug, message: "Hi, I run the L1 desk." }, TEST_META);
  return { ...w, user, request };
}

describe("createJoinRequest", () => {
  it("should file a PENDING request, audit it and queue an email to every admin holding requests.manage", async () => {
    const w = await accessWorld(t.db);
    await setPolicy(w.tenant, "REQUEST");
    const user = await newUser();
    const request = await createJoinRequest(t.db, { userId: user.id, tenantSlug: w.tenant.slug, message: "  Please <b>let</b> me in  " }, TEST_META);
    expect(request).toMatchObject({ status: "PENDING", message: "Please <b>let</b> me in", user: { id: user.id, email: user.email, verified: false } });
    const row = await t.db.joinRequest.findFirstOrThrow({ where: { id: request.id } });
    expect(row.pendingKey).toBe(String(user.id));
    const audit = await t.db.auditEvent.findMany({ where: { tenantId: w.tenant.id, action: "join_request.created" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "USER", actorUserId: user.id, targetId: String(request.id) });
    const emails = await t.db.emailDelivery.findMany({ where: { refType: "join_request", refId: String(request.id) } });
    expect(emails.map((e) => e.to).sort()).toEqual([w.owner.user.email, w.administrator.user.email, w.manager.user.email].sort());
    expect(emails.every((e) => e.kind === "join_request_received" && e.status === "QUEUED")).toBe(true);
    expect(await t.db.job.count({ where: { type: "sendEmail", doneAt: null } })).toBeGreaterThanOrEqual(3);
  });

  it("should refuse a CLOSED tenant and an unknown one alike (FORBIDDEN, the neutral message), writing nothing", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const user = await newUser();
    const before = await writes(tenant);
    await expect(createJoinRequest(t.db, { userId: user.id, tenantSlug: tenant.slug, message: null })).rejects.toMatchObject({
      code: "FORBIDDEN", userMessage: "This tenant does not accept requests",
    });
    // Issue 9: an unknown slug looks exactly like a closed tenant.
    await expect(createJoinRequest(t.db, { userId: user.id, tenantSlug: "no-such-tenant-x1", message: null })).rejects.toMatchObject({
      code: "FORBIDDEN", userMessage: "This tenant does not accept requests",
    });
    expect(await writes(tenant)).toEqual(before);
  });

  it("should refuse an existing member with CONFLICT, writing nothing", async () => {
    const w = await accessWorld(t.db);
    await setPolicy(w.tenant, "OPEN");
    const before = await writes(w.tenant);
    await expect(createJoinRequest(t.db, { userId: w.worker.user.id, tenantSlug: w.tenant.slug })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await writes(w.tenant)).toEqual(before);
  });

  it("should allow one pending request per user and tenant (409 for a second, also when racing), and a new one after a decision", async () => {
    const w = await worldWithRequest();
    const before = await writes(w.tenant);
    await expect(createJoinRequest(t.db, { userId: w.user.id, tenantSlug: w.tenant.slug })).rejects.toMatchObject({
      code: "CONFLICT", userMessage: "There is already a pending request to join this tenant.",
    });
    expect(await writes(w.tenant)).toEqual(before);

    await denyJoinRequest(t.db, w.owner.actor, { ref: { id: w.request.id } });
    const racers = await Promise.allSettled(
      Array.from({ length: 4 }, () => createJoinRequest(t.db, { userId: w.user.id, tenantSlug: w.tenant.slug })),
    );
    expect(racers.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of racers) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
    expect(await t.db.joinRequest.count({ where: { tenantId: w.tenant.id, userId: w.user.id, status: "PENDING" } })).toBe(1);
  });
});

describe("acceptJoinRequest", () => {
  it("should create the membership with the chosen role and units, mark ACCEPTED and email the requester (delivered by the job)", async () => {
    const w = await worldWithRequest();
    const { request, member } = await acceptJoinRequest(t.db, w.manager.actor, { ref: { id: w.request.id }, role: "accountant", unitIds: [w.units.l1.id] });
    expect(request.status).toBe("ACCEPTED");
    expect(member).toMatchObject({ userId: w.user.id, status: "ACTIVE", roles: ["accountant"], units: [{ unitId: w.units.l1.id, role: "accountant", status: "ACTIVE" }] });
    const row = await t.db.joinRequest.findFirstOrThrow({ where: { id: w.request.id } });
    expect(row).toMatchObject({ status: "ACCEPTED", pendingKey: null, decidedById: w.manager.user.id });
    expect(await t.db.auditEvent.count({ where: { action: "join_request.accepted", targetId: String(w.request.id) } })).toBe(1);
    const mail = await t.db.emailDelivery.findFirstOrThrow({ where: { refType: "join_request", refId: String(w.request.id), kind: "join_request_accepted" } });
    expect(mail.to).toBe(w.user.email);
    // Other tests in this file queue mail too: drain the queue.
    while ((await runDueJobs(t.db, { limit: 100, deps: { mailer: outboxMailer } })).claimed > 0);
    expect(await t.db.emailDelivery.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: "SENT", transport: "outbox" });
    const outbox = await t.db.outboxMessage.findMany({ where: { to: w.user.email } });
    expect(outbox.map((m) => m.subject)).toContain(`Your request to join ${w.tenant.name} was accepted`);
  });

  it("should default to the worker role without units", async () => {
    const w = await worldWithRequest();
    const { member } = await acceptJoinRequest(t.db, w.owner.actor, { ref: { email: w.user.email.toUpperCase() } });
    expect(member).toMatchObject({ roles: ["worker"], units: [] });
  });

  it("should refuse a worker and an accountant (no requests.manage) with FORBIDDEN, writing nothing", async () => {
    const w = await worldWithRequest();
    const before = await writes(w.tenant);
    for (const who of [w.worker, w.accountant, w.client]) {
      await expect(acceptJoinRequest(t.db, who.actor, { ref: { id: w.request.id } })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(denyJoinRequest(t.db, who.actor, { ref: { id: w.request.id } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await writes(w.tenant)).toEqual(before);
  });

  it("should refuse a role at or above the caller's rank with FORBIDDEN, writing nothing", async () => {
    const w = await worldWithRequest();
    const before = await writes(w.tenant);
    for (const role of ["manager", "administrator", "owner"]) {
      await expect(acceptJoinRequest(t.db, w.manager.actor, { ref: { id: w.request.id }, role })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(acceptJoinRequest(t.db, w.administrator.actor, { ref: { id: w.request.id }, role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await writes(w.tenant)).toEqual(before);
    expect((await t.db.joinRequest.findFirstOrThrow({ where: { id: w.request.id } })).status).toBe("PENDING");
  });

  it("should answer NOT_FOUND for another tenant's unit and an unknown role, and FORBIDDEN for a unit outside the caller's reach", async () => {
    const w = await worldWithRequest();
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    const before = await writes(w.tenant);
    await expect(acceptJoinRequest(t.db, w.manager.actor, { ref: { id: w.request.id }, unitIds: [foreign.id] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(acceptJoinRequest(t.db, w.manager.actor, { ref: { id: w.request.id }, role: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The manager works at L1 and L2 only.
    await expect(acceptJoinRequest(t.db, w.manager.actor, { ref: { id: w.request.id }, unitIds: [w.units.l1.id, w.units.l3.id] })).rejects.toMatchObject({
      code: "FORBIDDEN", userMessage: `Access denied. You have no access to unit ${w.units.l3.id}.`,
    });
    expect(await writes(w.tenant)).toEqual(before);
  });

  it("should answer NOT_FOUND for a decided request and another tenant's request", async () => {
    const w = await worldWithRequest();
    const other = await accessWorld(t.db);
    await acceptJoinRequest(t.db, w.owner.actor, { ref: { id: w.request.id } });
    await expect(acceptJoinRequest(t.db, w.owner.actor, { ref: { id: w.request.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(denyJoinRequest(t.db, w.owner.actor, { ref: { id: w.request.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const theirs = await newUser();
    await setPolicy(other.tenant, "REQUEST");
    const r = await createJoinRequest(t.db, { userId: theirs.id, tenantSlug: other.tenant.slug });
    await expect(acceptJoinRequest(t.db, w.owner.actor, { ref: { id: r.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("should yield exactly one membership when two admins accept at once", async () => {
    const w = await worldWithRequest();
    const results = await Promise.allSettled([
      acceptJoinRequest(t.db, w.owner.actor, { ref: { id: w.request.id } }),
      acceptJoinRequest(t.db, w.administrator.actor, { ref: { id: w.request.id } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.membership.count({ where: { tenantId: w.tenant.id, userId: w.user.id } })).toBe(1);
  });
});

describe("denyJoinRequest and listPendingJoinRequests", () => {
  it("should mark DENIED, audit it and email the requester; the list shows only pending requests", async () => {
    const w = await worldWithRequest();
    const second = await newUser("second");
    await createJoinRequest(t.db, { userId: second.id, tenantSlug: w.tenant.slug });
    expect((await listPendingJoinRequests(t.db, w.manager.actor)).map((r) => r.user.email)).toEqual([w.user.email, second.email]);
    const denied = await denyJoinRequest(t.db, w.manager.actor, { ref: { id: w.request.id } });
    expect(denied).toMatchObject({ status: "DENIED", user: { email: w.user.email } });
    expect(await t.db.joinRequest.findFirstOrThrow({ where: { id: w.request.id } })).toMatchObject({ status: "DENIED", pendingKey: null });
    expect(await t.db.membership.count({ where: { tenantId: w.tenant.id, userId: w.user.id } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { action: "join_request.denied", targetId: String(w.request.id) } })).toBe(1);
    expect(await t.db.emailDelivery.count({ where: { refId: String(w.request.id), kind: "join_request_denied", to: w.user.email } })).toBe(1);
    expect((await listPendingJoinRequests(t.db, w.manager.actor)).map((r) => r.user.email)).toEqual([second.email]);
  });

  it("should refuse listPending without requests.manage (worker, accountant)", async () => {
    const w = await accessWorld(t.db);
    for (const who of [w.worker, w.accountant]) await expect(listPendingJoinRequests(t.db, who.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("joinRequests router", () => {
  it("should let a signed-in non-member ask, and an admin list and accept through tRPC", async () => {
    const w = await accessWorld(t.db);
    await setPolicy(w.tenant, "REQUEST");
    const user = await t.db.user.create({ data: { email: uniqueEmail("trpc") } });
    const { caller } = await signIn(t.db, user);
    const created = await caller.joinRequests.create({ tenant: w.tenant.slug, message: "hello" });
    expect(created.status).toBe("PENDING");
    await expect(caller.joinRequests.create({ tenant: w.tenant.slug })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await caller.joinRequests.landing({ tenant: w.tenant.slug })).toMatchObject({ state: "open", viewer: { member: false, pending: true } });
    const admin = await callerOf(t.db, w.manager);
    expect((await admin.joinRequests.listPending({ tenant: w.tenant.slug })).map((r) => r.id)).toEqual([created.id]);
    const accepted = await admin.joinRequests.accept({ tenant: w.tenant.slug, id: created.id, role: "worker", unitIds: [w.units.l2.id] });
    expect(accepted.member).toMatchObject({ roles: ["worker"], units: [{ unitId: w.units.l2.id }] });
    const worker = await callerOf(t.db, w.worker);
    await expect(worker.joinRequests.listPending({ tenant: w.tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("should refuse joinRequests.create without a session (UNAUTHORIZED) and for a CLOSED tenant (FORBIDDEN)", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const { callerFor } = await import("../helpers/factories.ts");
    await expect(callerFor(t.db, null).joinRequests.create({ tenant: tenant.slug })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const user = await newUser();
    const { caller } = await signIn(t.db, user);
    await expect(caller.joinRequests.create({ tenant: tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN", message: "This tenant does not accept requests" });
  });
});

describe("signUpForJoin", () => {
  it("should create an unverified account and file the request when the tenant takes requests (REQUEST, or OPEN, its older name)", async () => {
    const older = await createTenantWithOwner(t.db);
    await setPolicy(older.tenant, "OPEN");
    const olderEmail = uniqueEmail("signup-open");
    await signUpForJoin(t.db, { tenantSlug: older.tenant.slug, email: olderEmail, password: PASSWORD, firstName: "Old", lastName: "Name" }, TEST_META);
    expect(await t.db.joinRequest.count({ where: { tenantId: older.tenant.id, user: { email: olderEmail }, status: "PENDING" } })).toBe(1);

    const { tenant, owner } = await createTenantWithOwner(t.db);
    await setPolicy(tenant, "REQUEST");
    const email = uniqueEmail("signup");
    const out = await signUpForJoin(t.db, { tenantSlug: tenant.slug, email: email.toUpperCase(), password: PASSWORD, firstName: "Sam", lastName: "Up", message: "hi" }, TEST_META);
    expect(out.message).toBe(SIGN_UP_DONE);
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ firstName: "Sam", lastName: "Up", emailVerifiedAt: null });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await t.db.joinRequest.count({ where: { tenantId: tenant.id, userId: user.id, status: "PENDING" } })).toBe(1);
    expect(await t.db.emailDelivery.count({ where: { tenantId: tenant.id, kind: "join_request_received", to: owner.email } })).toBe(1);
  });

  it("should answer the same and write nothing for an email that already has an account", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    await setPolicy(tenant, "OPEN");
    const before = await writes(tenant);
    const hash = (await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).passwordHash;
    const other = await newUser();
    for (const email of [owner.email, other.email]) {
      expect(await signUpForJoin(t.db, { tenantSlug: tenant.slug, email, password: PASSWORD, firstName: "X", lastName: "Y" })).toEqual({ message: SIGN_UP_DONE });
    }
    expect(await writes(tenant)).toEqual(before);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).passwordHash).toBe(hash);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: other.id } })).passwordHash).toBeNull();
  });

  it("should refuse a CLOSED tenant (FORBIDDEN), a short password (422), and rate-limit per email (429)", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const email = uniqueEmail("limited");
    const base = { tenantSlug: tenant.slug, email, password: PASSWORD, firstName: "A", lastName: "B" };
    await expect(signUpForJoin(t.db, base)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(signUpForJoin(t.db, base)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(signUpForJoin(t.db, { ...base, password: "short" })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    for (let i = 2; i < LIMITS.signUpPerEmail.points; i++) await expect(signUpForJoin(t.db, base)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(signUpForJoin(t.db, base)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await t.db.user.count({ where: { email } })).toBe(0);
  });
});

describe("getJoinLanding", () => {
  it("should show the same closed state for unknown, malformed, CLOSED and suspended tenants", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const suspended = await createTenantWithOwner(t.db);
    await t.db.tenant.update({ where: { id: suspended.tenant.id }, data: { status: "SUSPENDED", joinPolicy: "OPEN" } });
    for (const slug of [tenant.slug, suspended.tenant.slug, "no-such-tenant-zz", "../Bad Slug"]) {
      expect(await getJoinLanding(t.db, { tenantSlug: slug, userId: null })).toEqual({ state: "closed" });
    }
    for (const policy of ["REQUEST", "OPEN"] as const) {
      await setPolicy(tenant, policy);
      expect(await getJoinLanding(t.db, { tenantSlug: tenant.slug, userId: null })).toEqual({
        state: "open", tenant: { slug: tenant.slug, name: tenant.name }, signUpAllowed: true, viewer: null,
      });
    }
  });
});
