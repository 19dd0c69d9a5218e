/** Tenant settings (get, update) through the settings router and service, against a real database. */
import { describe, expect, it } from "vitest";
import { getTenantSettings } from "../../server/services/settings/get-tenant-settings.ts";
import { updateTenantSettings } from "../../server/services/settings/update-tenant-settings.ts";
import { accessWorld, callerOf } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createPartnerToken } from "../helpers/factories.ts";
import { authenticateRequest } from "../../server/rest/authenticate.ts";
import { TEST_META } from "../helpers/factories.ts";

const t = useTestDb();

const settingsAudit = (tenantId: number) => t.db.auditEvent.count({ where: { tenantId, action: "tenant.settings_changed" } });

describe("settings router", () => {
  it("should read the defaults (7 days, CLOSED, no origins) for members.read holders and show the app's own origin", async () => {
    const w = await accessWorld(t.db);
    const s = await (await callerOf(t.db, w.accountant)).settings.get({ tenant: w.tenant.slug });
    expect(s).toMatchObject({ invitationTtlDays: 7, joinPolicy: "CLOSED", allowedLinkOrigins: [], canManage: false });
    expect(s.appOrigin).toMatch(/^https?:\/\/[^/]+$/);
  });

  it("should refuse get to a member without members.read or settings.manage (worker)", async () => {
    const w = await accessWorld(t.db);
    await expect((await callerOf(t.db, w.worker)).settings.get({ tenant: w.tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("should let an administrator (settings.manage) change every setting, normalising and de-duplicating origins, audited", async () => {
    const w = await accessWorld(t.db);
    const caller = await callerOf(t.db, w.administrator);
    const s = await caller.settings.update({
      tenant: w.tenant.slug, invitationTtlDays: 30, joinPolicy: "OPEN",
      allowedLinkOrigins: ["HTTPS://Partner.Example:443/", "https://partner.example", "http://localhost:8080"],
    });
    expect(s).toMatchObject({ invitationTtlDays: 30, joinPolicy: "OPEN", allowedLinkOrigins: ["https://partner.example", "http://localhost:8080"], canManage: true });
    expect(await t.db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } })).toMatchObject({ invitationTtlDays: 30, joinPolicy: "OPEN" });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { tenantId: w.tenant.id, action: "tenant.settings_changed" } });
    expect(audit).toMatchObject({ actorUserId: w.administrator.user.id, before: { invitationTtlDays: 7, joinPolicy: "CLOSED", allowedLinkOrigins: [] } });
    // Only the fields given change; an unchanged value writes no audit event.
    await caller.settings.update({ tenant: w.tenant.slug, invitationTtlDays: 1 });
    await caller.settings.update({ tenant: w.tenant.slug, invitationTtlDays: 1 });
    expect(await getTenantSettings(t.db, w.owner.actor)).toMatchObject({ invitationTtlDays: 1, joinPolicy: "OPEN" });
    expect(await settingsAudit(w.tenant.id)).toBe(2);
  });

  it("should refuse a ttl of 0 or 31 days, a bad origin and more than 20 origins with 422 naming the field, writing nothing", async () => {
    const w = await accessWorld(t.db);
    const caller = await callerOf(t.db, w.owner);
    const bad: Record<string, unknown>[] = [
      { invitationTtlDays: 0 }, { invitationTtlDays: 31 }, { invitationTtlDays: 2.5 },
      { allowedLinkOrigins: ["ftp://partner.example"] }, { allowedLinkOrigins: ["https://partner.example/path"] },
      { allowedLinkOrigins: ["https://user:pw@partner.example"] }, { allowedLinkOrigins: ["not a url"] }, { allowedLinkOrigins: ["https://x.example?q=1"] },
      { allowedLinkOrigins: Array.from({ length: 21 }, (_, i) => `https://p${i}.example`) },
    ];
    for (const input of bad) {
      await expect(caller.settings.update({ tenant: w.tenant.slug, ...input })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    }
    await expect(updateTenantSettings(t.db, w.owner.actor, { invitationTtlDays: 31 })).rejects.toMatchObject({
      code: "UNPROCESSABLE", issues: [{ path: "invitationTtlDays" }],
    });
    await expect(updateTenantSettings(t.db, w.owner.actor, { allowedLinkOrigins: ["https://ok.example", "javascript:alert(1)"] })).rejects.toMatchObject({
      code: "UNPROCESSABLE", issues: [{ path: "allowedLinkOrigins[1]" }],
    });
    await expect(updateTenantSettings(t.db, w.owner.actor, {})).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    expect(await t.db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } })).toMatchObject({ invitationTtlDays: 7, joinPolicy: "CLOSED", allowedLinkOrigins: [] });
    expect(await settingsAudit(w.tenant.id)).toBe(0);
  });

  it("should name the field by its form label on the admin app's door, never by its internal name", async () => {
    const w = await accessWorld(t.db);
    const caller = await callerOf(t.db, w.owner);
    await expect(caller.settings.update({ tenant: w.tenant.slug, invitationTtlDays: 31 })).rejects.toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
      message: "Invitation lifetime (days): must be between 1 and 30 days",
    });
    await expect(caller.settings.update({ tenant: w.tenant.slug, allowedLinkOrigins: ["https://ok.example", "ftp://x.example"] })).rejects.toMatchObject({
      message: expect.stringMatching(/^Allowed link origins, entry 2: must be an http\(s\) origin/),
    });
  });

  it("should refuse update without settings.manage (manager, accountant, worker), writing nothing", async () => {
    const w = await accessWorld(t.db);
    for (const who of [w.manager, w.accountant, w.worker]) {
      await expect((await callerOf(t.db, who)).settings.update({ tenant: w.tenant.slug, joinPolicy: "OPEN" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } })).joinPolicy).toBe("CLOSED");
    expect(await settingsAudit(w.tenant.id)).toBe(0);
  });

  it("should name settings.manage when a partner token lacks it", async () => {
    const w = await accessWorld(t.db);
    const partner = await createPartnerToken(t.db, w.tenant, { scopes: ["members.read"] });
    const { actor } = await authenticateRequest(t.db, `Bearer ${partner.token}`, TEST_META);
    await expect(updateTenantSettings(t.db, actor, { joinPolicy: "OPEN" })).rejects.toMatchObject({
      code: "FORBIDDEN", userMessage: "Access denied. Missing permission: settings.manage",
    });
  });
});
