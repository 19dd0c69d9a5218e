/**
 * Inviting pasted addresses (issue 11, item 7) at the service and procedure boundary: one outcome per distinct
 * address (invited, already a member, already invited, invalid), each invitation audited and its email queued like a
 * single invite; the cap, the permission and the grant ceiling refuse the whole paste with nothing written; another
 * tenant's members, invitations and units count for nothing here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AppErrorCode, type AppError } from "../../server/errors.ts";
import { createInvitation } from "../../server/services/invitations/create-invitation.ts";
import { inviteEmails } from "../../server/services/invitations/invite-emails.ts";
import { MAX_PASTED_EMAILS, splitPastedEmails } from "../../server/services/invitations/pasted-emails.schema.ts";
import { accessWorld, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, createUnitIn, signIn, systemActor, uniqueEmail } from "../helpers/factories.ts";
import { writeCounts } from "../helpers/invitation-factories.ts";

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected a refusal");
}

async function expectNothingWritten(fn: () => Promise<unknown>, code: AppErrorCode) {
  const before = await writeCounts(t.db, w.tenant.id);
  const err = await appError(fn());
  expect(err.code).toBe(code);
  expect(await writeCounts(t.db, w.tenant.id)).toEqual(before);
  return err;
}

describe("splitPastedEmails", () => {
  it("should split on lines, commas and semicolons, take the address out of `Name <address>` and drop blanks", () => {
    expect(splitPastedEmails("a@x.test\nb@x.test, c@x.test;d@x.test\r\n\n ; Jo Doe <e@x.test>\n  not an address  ")).toEqual([
      "a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test", "not an address",
    ]);
  });
});

describe("inviteEmails", () => {
  it("should answer one outcome per distinct address in pasted order and invite only the new ones", async () => {
    const fresh = uniqueEmail("paste-new");
    const pending = uniqueEmail("paste-pending");
    await createInvitation(t.db, w.owner.actor, { email: pending, sendEmail: false });
    const before = await writeCounts(t.db, w.tenant.id);
    const text = `${fresh}\n${w.worker.user.email}; ${pending}, not-an-email\n${fresh.toUpperCase()}`;
    const out = await inviteEmails(t.db, w.manager.actor, { emails: text, unitGrants: [{ unitId: w.units.l1.id, role: "worker" }], message: "Welcome" });
    expect(out.results.map(({ email, outcome }) => ({ email, outcome }))).toEqual([
      { email: fresh, outcome: "invited" },
      { email: w.worker.user.email, outcome: "already_member" },
      { email: pending, outcome: "already_invited" },
      { email: "not-an-email", outcome: "invalid" },
    ]);
    expect(out.results.filter((r) => r.invitationId !== null)).toHaveLength(1);
    const id = out.results[0]!.invitationId!;
    const row = await t.db.invitation.findFirstOrThrow({ where: { id, tenantId: w.tenant.id } });
    expect(row).toMatchObject({ email: fresh, status: "PENDING", kind: "MEMBER", roles: ["worker"], message: "Welcome", sendCount: 1, invitedById: w.manager.user.id });
    expect(row.unitGrants).toEqual([expect.objectContaining({ unitId: w.units.l1.id, roleSlug: "worker" })]);
    // Exactly what one single invite writes: the invitation, the person's account, its audit row and its email.
    expect(await writeCounts(t.db, w.tenant.id)).toEqual({
      invitations: before.invitations + 1, users: before.users + 1, deliveries: before.deliveries + 1, audit: before.audit + 1,
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { tenantId: w.tenant.id, action: "invitation.created", targetId: String(id) } });
    expect(audit).toMatchObject({ actorType: "USER", actorUserId: w.manager.user.id, targetType: "invitation", ip: "203.0.113.7" });
    expect(audit.after).toMatchObject({ email: fresh, roles: ["worker"], sendEmail: true });
    const mail = await t.db.emailDelivery.findFirstOrThrow({ where: { refType: "invitation", refId: String(id) } });
    expect(mail).toMatchObject({ status: "QUEUED", to: fresh });
  });

  it("should invite again an address whose earlier invitation expired", async () => {
    const email = uniqueEmail("paste-stale");
    const old = await createInvitation(t.db, w.owner.actor, { email, sendEmail: false });
    await t.db.invitation.updateMany({ where: { id: old.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const out = await inviteEmails(t.db, w.owner.actor, { emails: email });
    expect(out.results).toEqual([{ email, outcome: "invited", invitationId: expect.any(Number) }]);
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: old.invitation.id } })).toMatchObject({ status: "EXPIRED" });
  });

  it("should write nothing and ask for nothing when every entry is invalid", async () => {
    const before = await writeCounts(t.db, w.tenant.id);
    const out = await inviteEmails(t.db, w.owner.actor, { emails: "jo at example, @x.test" });
    expect(out.results).toEqual([
      { email: "jo at example", outcome: "invalid", invitationId: null },
      { email: "@x.test", outcome: "invalid", invitationId: null },
    ]);
    expect(await writeCounts(t.db, w.tenant.id)).toEqual(before);
  });

  it(`should refuse more than ${MAX_PASTED_EMAILS} entries with 422 naming emails, writing nothing`, async () => {
    const text = Array.from({ length: MAX_PASTED_EMAILS + 1 }, (_, i) => `cap-${i}@example.test`).join("\n");
    const err = await expectNothingWritten(() => inviteEmails(t.db, w.owner.actor, { emails: text }), AppErrorCode.UNPROCESSABLE);
    expect(err.issues).toEqual([{ path: "emails", message: `lists ${MAX_PASTED_EMAILS + 1} addresses; paste at most ${MAX_PASTED_EMAILS} at once` }]);
    // Exactly the cap is fine.
    const ok = Array.from({ length: MAX_PASTED_EMAILS }, () => uniqueEmail("cap")).join(",");
    const out = await inviteEmails(t.db, w.owner.actor, { emails: ok });
    expect(out.results.every((r) => r.outcome === "invited")).toBe(true);
    expect(out.results).toHaveLength(MAX_PASTED_EMAILS);
  });

  it("should refuse an empty paste and an unknown key with 422", async () => {
    expect((await expectNothingWritten(() => inviteEmails(t.db, w.owner.actor, { emails: " \n ;, " }), AppErrorCode.UNPROCESSABLE)).issues?.[0]?.path).toBe("emails");
    await expectNothingWritten(() => inviteEmails(t.db, w.owner.actor, { emails: uniqueEmail("x"), sendEmail: false } as never), AppErrorCode.UNPROCESSABLE);
  });

  it("should deny a worker (no members.invite) with FORBIDDEN, writing nothing", async () => {
    await expectNothingWritten(() => inviteEmails(t.db, w.worker.actor, { emails: uniqueEmail("denied") }), AppErrorCode.FORBIDDEN);
  });

  it("should refuse the whole paste when the caller may not grant the preset role, even if every address is a member", async () => {
    await expectNothingWritten(() => inviteEmails(t.db, w.manager.actor, { emails: `${uniqueEmail("ceiling")}\n${w.worker.user.email}`, roles: ["administrator"] }), AppErrorCode.FORBIDDEN);
    await expectNothingWritten(() => inviteEmails(t.db, w.manager.actor, { emails: w.worker.user.email, roles: ["administrator"] }), AppErrorCode.FORBIDDEN);
  });

  it("should treat another tenant's unit as not found and its members and invitations as strangers", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreignUnit = await createUnitIn(t.db, other.tenant);
    await expectNothingWritten(
      () => inviteEmails(t.db, w.owner.actor, { emails: uniqueEmail("iso"), unitGrants: [{ unitId: foreignUnit.id, role: "worker" }] }),
      AppErrorCode.NOT_FOUND,
    );
    const invitedThere = uniqueEmail("iso-pending");
    await createInvitation(t.db, systemActor(other.tenant), { email: invitedThere, sendEmail: false });
    const out = await inviteEmails(t.db, w.owner.actor, { emails: `${other.owner.email}\n${invitedThere}` });
    expect(out.results.map((r) => r.outcome)).toEqual(["invited", "invited"]);
    const rows = await t.db.invitation.findMany({ where: { id: { in: out.results.map((r) => r.invitationId!) } } });
    expect(rows.every((r) => r.tenantId === w.tenant.id)).toBe(true);
  });
});

describe("invitations.inviteEmails tRPC procedure", () => {
  it("should invite for a manager and answer per address", async () => {
    const manager = (await signIn(t.db, w.manager.user)).caller;
    const email = uniqueEmail("trpc-paste");
    const out = await manager.invitations.inviteEmails({ tenant: w.tenant.slug, emails: `${email}\nnope` });
    expect(out.results.map((r) => r.outcome)).toEqual(["invited", "invalid"]);
  });

  it("should map the cap to UNPROCESSABLE_CONTENT and a worker to FORBIDDEN", async () => {
    const owner = (await signIn(t.db, w.owner.user)).caller;
    const text = Array.from({ length: MAX_PASTED_EMAILS + 1 }, (_, i) => `c${i}@example.test`).join(";");
    await expect(owner.invitations.inviteEmails({ tenant: w.tenant.slug, emails: text })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    const worker = (await signIn(t.db, w.worker.user)).caller;
    await expect(worker.invitations.inviteEmails({ tenant: w.tenant.slug, emails: uniqueEmail("w") })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
