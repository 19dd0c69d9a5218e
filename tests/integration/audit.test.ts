/** The audit log through tRPC: who may read it, filters, actor labels, and stable id-keyed pagination. */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent, SYSTEM_ACTOR } from "../../server/audit/record.ts";
import { accessWorld, callerOf, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, createUnitIn, signIn, TEST_META } from "../helpers/factories.ts";

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
  throw new Error("expected a failure");
}

describe("audit.list", () => {
  it("should list the tenant's events newest first with actor, target, before/after, ip and a string id", async () => {
    const owner = await callerOf(t.db, w.owner);
    const unit = await owner.units.create({ tenant: w.tenant.slug, name: "Audited", kind: "LOCATION" });
    await owner.units.rename({ tenant: w.tenant.slug, unitId: unit.id, name: "Audited 2" });
    const page = await owner.audit.list({ tenant: w.tenant.slug, targetType: "unit", targetId: String(unit.id) });
    expect(page.items.map((e) => e.action)).toEqual(["unit.renamed", "unit.created"]);
    expect(page.items[0]).toMatchObject({
      actor: { type: "USER", userId: w.owner.user.id, label: w.owner.user.email, tokenName: null },
      targetType: "unit", targetId: String(unit.id), before: { name: "Audited" }, after: { name: "Audited 2" }, ip: TEST_META.ip,
    });
    expect(page.items[0]?.id).toMatch(/^\d+$/);
    expect(BigInt(page.items[0]!.id) > BigInt(page.items[1]!.id)).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  it("should label token and system actors with the token's name and \"system\"", async () => {
    const owner = await callerOf(t.db, w.owner);
    await t.db.$transaction((tx) => recordAuditEvent(tx, { actor: SYSTEM_ACTOR, tenantId: w.tenant.id, action: "tenant.settings_changed", targetType: "tenant", targetId: w.tenant.id }));
    await t.db.$transaction((tx) => recordAuditEvent(tx, {
      actor: { kind: "token", userId: null, tokenId: w.partner.apiToken.id, meta: TEST_META },
      tenantId: w.tenant.id, action: "member.added", targetType: "membership", targetId: "labels",
    }));
    const sys = await owner.audit.list({ tenant: w.tenant.slug, action: "tenant.settings_changed", limit: 1 });
    expect(sys.items[0]?.actor).toMatchObject({ type: "SYSTEM", label: "system" });
    const tok = await owner.audit.list({ tenant: w.tenant.slug, targetType: "membership", targetId: "labels" });
    expect(tok.items[0]?.actor).toMatchObject({ type: "TOKEN", label: w.partner.apiToken.name, tokenName: w.partner.apiToken.name });
  });

  it("should filter by action prefix, actor user id and date range", async () => {
    const admin = await callerOf(t.db, w.administrator);
    const started = new Date(Date.now() - 1000);
    await admin.units.create({ tenant: w.tenant.slug, name: `By admin`, kind: "PROJECT" });
    const byAdmin = await admin.audit.list({ tenant: w.tenant.slug, actorUserId: w.administrator.user.id });
    expect(byAdmin.items.length).toBeGreaterThan(0);
    expect(byAdmin.items.every((e) => e.actor.userId === w.administrator.user.id)).toBe(true);
    const units = await admin.audit.list({ tenant: w.tenant.slug, action: "unit." });
    expect(units.items.length).toBeGreaterThan(0);
    expect(units.items.every((e) => e.action.startsWith("unit."))).toBe(true);
    const recent = await admin.audit.list({ tenant: w.tenant.slug, from: started, actorUserId: w.administrator.user.id });
    expect(recent.items.map((e) => e.action)).toEqual(["unit.created"]);
    const none = await admin.audit.list({ tenant: w.tenant.slug, to: new Date(0) });
    expect(none.items).toEqual([]);
  });

  it("should page by id without gaps or repeats, even when events are written between pages", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    for (let i = 0; i < 7; i++) await createUnitIn(t.db, tenant, { name: `P${i}` });
    const c = (await signIn(t.db, owner)).caller;
    const all = await c.audit.list({ tenant: tenant.slug, limit: 100 });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await c.audit.list({ tenant: tenant.slug, limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      // A newer event must not shift the pages still to come.
      if (pages === 0) await createUnitIn(t.db, tenant, { name: "late" });
      pages++;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.id));
    expect(pages).toBe(Math.ceil(all.items.length / 3));
  });

  it("should cap the page size at 100 and reject a malformed cursor with UNPROCESSABLE_CONTENT", async () => {
    const owner = await callerOf(t.db, w.owner);
    expect(await codeOf(owner.audit.list({ tenant: w.tenant.slug, limit: 101 }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(owner.audit.list({ tenant: w.tenant.slug, cursor: "1 OR 1=1" }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(owner.audit.list({ tenant: w.tenant.slug, tenantId: 1 } as never))).toBe("UNPROCESSABLE_CONTENT");
  });

  it.each(["worker", "accountant", "client"] as const)("should deny reading the audit log to a %s with FORBIDDEN", async (role) => {
    const caller = await callerOf(t.db, w[role]);
    expect(await codeOf(caller.audit.list({ tenant: w.tenant.slug }))).toBe("FORBIDDEN");
  });

  it("should let a manager (audit.read) read it, and never show another tenant's events", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant, { name: "Elsewhere" });
    const manager = await callerOf(t.db, w.manager);
    const page = await manager.audit.list({ tenant: w.tenant.slug, targetType: "unit", targetId: String(foreign.id) });
    expect(page.items).toEqual([]);
    expect(await codeOf(manager.audit.list({ tenant: other.tenant.slug }))).toBe("NOT_FOUND");
  });

  it("should never include a token hash or raw token in any event", async () => {
    const owner = await callerOf(t.db, w.owner);
    const created = await owner.tokens.create({ tenant: w.tenant.slug, kind: "partner", name: "audited token" });
    await owner.tokens.revoke({ tenant: w.tenant.slug, id: created.apiToken.id });
    const page = await owner.audit.list({ tenant: w.tenant.slug, targetType: "api_token", targetId: String(created.apiToken.id) });
    expect(page.items.map((e) => e.action)).toEqual(["api_token.revoked", "api_token.created"]);
    const row = await t.db.apiToken.findFirstOrThrow({ where: { id: created.apiToken.id } });
    const text = JSON.stringify(page);
    expect(text).not.toContain(row.tokenHash);
    expect(text).not.toContain(created.token);
    expect(text).not.toContain("tokenHash");
  });
});

describe("recordAuditEvent", () => {
  it("should write an event without a tenant to the account trail (AccountEvent), never to a tenant's audit log", async () => {
    const before = await t.db.auditEvent.count();
    await t.db.$transaction((tx) => recordAuditEvent(tx, {
      actor: { kind: "user", userId: w.worker.user.id, tokenId: null, meta: TEST_META },
      tenantId: null, action: "user.password_changed", targetType: "user", targetId: w.worker.user.id, after: { sessionsEnded: 0 },
    }));
    expect(await t.db.auditEvent.count()).toBe(before);
    const row = await t.db.accountEvent.findFirstOrThrow({ where: { userId: w.worker.user.id, action: "user.password_changed" }, orderBy: { id: "desc" } });
    expect(row).toMatchObject({
      actorType: "USER", actorUserId: w.worker.user.id, actorTokenId: null, targetType: "user", targetId: String(w.worker.user.id),
      after: { sessionsEnded: 0 }, ip: TEST_META.ip, requestId: TEST_META.requestId,
    });
  });

  it("should write a tenant's event to that tenant's audit log only", async () => {
    const accountEvents = await t.db.accountEvent.count();
    await t.db.$transaction((tx) => recordAuditEvent(tx, { actor: SYSTEM_ACTOR, tenantId: w.tenant.id, action: "unit.renamed", targetType: "unit", targetId: "routed" }));
    expect(await t.db.auditEvent.count({ where: { tenantId: w.tenant.id, targetId: "routed" } })).toBe(1);
    expect(await t.db.accountEvent.count()).toBe(accountEvents);
  });
});
