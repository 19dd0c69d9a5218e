/** Invitations at the service and procedure boundary: create, refusals (nothing written), resend, cancel, expiry, accept, decline, listing. */
import { beforeAll, describe, expect, it } from "vitest";
import { hashSecret } from "../../server/auth/secrets.ts";
import { getEnv } from "../../server/env.ts";
import { AppErrorCode, type AppError } from "../../server/errors.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { cancelInvitation } from "../../server/services/invitations/cancel-invitation.ts";
import { createInvitation, createInvitations } from "../../server/services/invitations/create-invitation.ts";
import { declineInvitation } from "../../server/services/invitations/decline-invitation.ts";
import { listPendingInvitations } from "../../server/services/invitations/list-pending-invitations.ts";
import { previewInvitation } from "../../server/services/invitations/preview-invitation.ts";
import { resendInvitation } from "../../server/services/invitations/resend-invitation.ts";
import { accessWorld, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { callerFor, createTenantWithOwner, createUnitIn, signIn, systemActor, uniqueEmail } from "../helpers/factories.ts";
import { createAccount, inviteWithLink, tokenOf, writeCounts } from "../helpers/invitation-factories.ts";

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

describe("createInvitation", () => {
  it("should store only the token's hash, create the invitee's user without a password, and return the link once when sendEmail is false", async () => {
    const email = uniqueEmail("new");
    const out = await createInvitation(t.db, w.owner.actor, { email, sendEmail: false, roles: ["manager"] });
    expect(out.inviteUrl).toMatch(new RegExp(`^${getEnv().publicUrl}/invite/rs_inv_[A-Za-z0-9_-]{43}$`));
    const raw = tokenOf(out.inviteUrl);
    const row = await t.db.invitation.findFirstOrThrow({ where: { id: out.invitation.id } });
    expect(row.tokenHash).toBe(hashSecret(raw));
    expect(JSON.stringify(row)).not.toContain(raw);
    expect(row).toMatchObject({ status: "PENDING", pendingKey: email, sendCount: 0, roles: ["manager"], invitedById: w.owner.user.id });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(6.9 * 86_400_000);
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ passwordHash: null, emailVerifiedAt: null });
    expect(await t.db.emailDelivery.count({ where: { refType: "invitation", refId: String(row.id) } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { action: "invitation.created", targetId: String(row.id) } })).toBe(1);
  });

  it("should queue the invitation email in the transaction and count it as sent once when sendEmail is true", async () => {
    const out = await createInvitation(t.db, w.manager.actor, { email: uniqueEmail("mailed") });
    expect(out.inviteUrl).toBeNull();
    expect(out.invitation).toMatchObject({ sendCount: 1, roles: ["worker"], kind: "MEMBER" });
    const deliveries = await t.db.emailDelivery.findMany({ where: { refType: "invitation", refId: String(out.invitation.id) } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: "QUEUED", kind: "invitation", to: out.invitation.email });
  });

  it("should use an allow-listed verificationBaseUrl and refuse an unlisted one with 422 naming the field, writing nothing", async () => {
    await t.db.tenant.update({ where: { id: w.tenant.id }, data: { allowedLinkOrigins: ["https://partner.example"] } });
    const ok = await createInvitation(t.db, w.owner.actor, { email: uniqueEmail("base"), sendEmail: false, verificationBaseUrl: "https://partner.example/app/" });
    expect(ok.inviteUrl).toMatch(/^https:\/\/partner\.example\/app\/invite\/rs_inv_/);
    const err = await expectNothingWritten(
      () => createInvitation(t.db, w.owner.actor, { email: uniqueEmail("evil"), verificationBaseUrl: "https://evil.example" }),
      AppErrorCode.UNPROCESSABLE,
    );
    expect(err.issues?.[0]?.path).toBe("verificationBaseUrl");
  });

  it.each([
    ["a comma-joined pair", "a@example.test,b@example.test"],
    ["a malformed address", "not-an-email"],
    ["a look-alike character (Cyrillic o)", "j\u043ehn@example.test"],
  ])("should refuse %s with 422 naming email and write nothing", async (_label, email) => {
    const err = await expectNothingWritten(() => createInvitation(t.db, w.owner.actor, { email }), AppErrorCode.UNPROCESSABLE);
    expect(err.issues?.[0]?.path).toBe("email");
  });

  it("should refuse an existing member with 409 and write nothing", async () => {
    await expectNothingWritten(() => createInvitation(t.db, w.owner.actor, { email: w.worker.user.email }), AppErrorCode.CONFLICT);
  });

  it("should refuse a second pending invitation for the same email with 409", async () => {
    const first = await inviteWithLink(t.db, w.owner.actor);
    await expectNothingWritten(() => createInvitation(t.db, w.owner.actor, { email: first.email!.toUpperCase() }), AppErrorCode.CONFLICT);
  });

  it("should refuse a preset tenant role above the inviter's rank with 403 and write nothing", async () => {
    const err = await expectNothingWritten(
      () => createInvitation(t.db, w.manager.actor, { email: uniqueEmail("up"), roles: ["administrator"] }),
      AppErrorCode.FORBIDDEN,
    );
    expect(err.userMessage).toContain("administrator");
  });

  it("should refuse a unit grant value above the inviter's own at that unit with 403 naming the right", async () => {
    const err = await expectNothingWritten(
      () => createInvitation(t.db, w.manager.actor, {
        email: uniqueEmail("grant"), unitGrants: [{ unitId: w.units.l1.id, role: "worker", permissions: [{ slug: "billing_access", value: true }] }],
      }),
      AppErrorCode.FORBIDDEN,
    );
    expect(err.userMessage).toContain("billing_access");
  });

  it("should refuse a grant at a unit outside the inviter's reach with 403", async () => {
    await expectNothingWritten(
      () => createInvitation(t.db, w.manager.actor, { email: uniqueEmail("reach"), unitGrants: [{ unitId: w.units.l3.id, role: "worker" }] }),
      AppErrorCode.FORBIDDEN,
    );
  });

  it("should refuse a foreign or archived unit in the grants with 404 and write nothing", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    await expectNothingWritten(
      () => createInvitation(t.db, w.owner.actor, { email: uniqueEmail("foreign"), unitGrants: [{ unitId: foreign.id, role: "worker" }] }),
      AppErrorCode.NOT_FOUND,
    );
    const archived = await createUnitIn(t.db, w.tenant);
    await t.db.unit.updateMany({ where: { id: archived.id }, data: { archivedAt: new Date() } });
    await expectNothingWritten(
      () => createInvitation(t.db, w.owner.actor, { email: uniqueEmail("archived"), unitGrants: [{ unitId: archived.id, role: "worker" }] }),
      AppErrorCode.NOT_FOUND,
    );
  });

  it.each(["worker", "accountant", "client"] as const)("should deny %s: members.invite is missing (403)", async (role) => {
    await expectNothingWritten(() => createInvitation(t.db, w[role].actor, { email: uniqueEmail("denied") }), AppErrorCode.FORBIDDEN);
  });

  it("should invite by phone (E.164) without an email channel and return the link once", async () => {
    const out = await createInvitation(t.db, w.owner.actor, { phone: "+15551230001" });
    expect(out.inviteUrl).toContain("/invite/rs_inv_");
    expect(out.invitation).toMatchObject({ phone: "+15551230001", email: null, sendCount: 0 });
    const err = await appError(createInvitation(t.db, w.owner.actor, { phone: "555-1234" }));
    expect(err.code).toBe(AppErrorCode.UNPROCESSABLE);
    expect(err.issues?.[0]?.path).toBe("phone");
  });
});

describe("createInvitations (bulk)", () => {
  it("should create every item with per-item results", async () => {
    const out = await createInvitations(t.db, w.owner.actor, { items: [{ email: uniqueEmail("b1"), sendEmail: false }, { email: uniqueEmail("b2") }] });
    expect(out.results).toHaveLength(2);
    expect(out.results[0]!.inviteUrl).toContain("/invite/");
    expect(out.results[1]!.inviteUrl).toBeNull();
  });

  it("should fail the whole batch naming items[i] and write nothing when one item conflicts", async () => {
    const err = await expectNothingWritten(
      () => createInvitations(t.db, w.owner.actor, { items: [{ email: uniqueEmail("ok") }, { email: w.worker.user.email }] }),
      AppErrorCode.CONFLICT,
    );
    expect(err.userMessage).toMatch(/^items\[1\]: /);
  });

  it("should refuse a duplicate email inside the batch with 422 naming items[i].email", async () => {
    const email = uniqueEmail("dup");
    const err = await expectNothingWritten(() => createInvitations(t.db, w.owner.actor, { items: [{ email }, { email }] }), AppErrorCode.UNPROCESSABLE);
    expect(err.issues?.[0]?.path).toBe("items[1].email");
  });

  it("should refuse more than 1000 items with 422", async () => {
    const items = Array.from({ length: 1001 }, (_, i) => ({ email: `x${i}@example.test` }));
    expect((await appError(createInvitations(t.db, w.owner.actor, { items }))).code).toBe(AppErrorCode.UNPROCESSABLE);
  });
});

describe("resend, cancel, expiry", () => {
  it("should give a resent invitation a new link, kill the old one, withdraw the queued email and count the send", async () => {
    const email = uniqueEmail("resend");
    const created = await createInvitation(t.db, w.owner.actor, { email });
    const before = await t.db.invitation.findFirstOrThrow({ where: { id: created.invitation.id } });
    const out = await resendInvitation(t.db, w.owner.actor, { ref: { email } });
    expect(out.invitation.sendCount).toBe(2);
    const after = await t.db.invitation.findFirstOrThrow({ where: { id: created.invitation.id } });
    expect(after.tokenHash).not.toBe(before.tokenHash);
    expect(after.expiresAt.getTime()).toBeGreaterThanOrEqual(before.expiresAt.getTime());
    const deliveries = await t.db.emailDelivery.findMany({ where: { refType: "invitation", refId: String(after.id) }, orderBy: { id: "asc" } });
    expect(deliveries.map((d) => d.status)).toEqual(["CANCELLED", "QUEUED"]);
  });

  it("should make the old link neutral after a resend (link returned when sent without email)", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor, { phone: "+15551230002" });
    const out = await resendInvitation(t.db, w.owner.actor, { ref: { phone: "+15551230002" } });
    expect(await previewInvitation(t.db, inv.token)).toBeNull();
    expect(await previewInvitation(t.db, tokenOf(out.inviteUrl))).not.toBeNull();
  });

  it("should answer 404 to resend and cancel when nothing is pending", async () => {
    expect((await appError(resendInvitation(t.db, w.owner.actor, { ref: { email: uniqueEmail("none") } }))).code).toBe(AppErrorCode.NOT_FOUND);
    expect((await appError(cancelInvitation(t.db, w.owner.actor, { ref: { email: uniqueEmail("none") } }))).code).toBe(AppErrorCode.NOT_FOUND);
  });

  it("should kill the link at once when cancelled, and free the email for a new invitation", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor);
    const cancelled = await cancelInvitation(t.db, w.owner.actor, { ref: { email: inv.email! } });
    expect(cancelled.status).toBe("CANCELLED");
    expect(await previewInvitation(t.db, inv.token)).toBeNull();
    const person = await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } });
    expect((await appError(acceptInvitation(t.db, { userId: person.id, rawToken: inv.token }))).code).toBe(AppErrorCode.NOT_FOUND);
    await createInvitation(t.db, w.owner.actor, { email: inv.email! });
  });

  it("should deny resend and cancel to a worker (403)", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor);
    expect((await appError(resendInvitation(t.db, w.worker.actor, { ref: { email: inv.email! } }))).code).toBe(AppErrorCode.FORBIDDEN);
    expect((await appError(cancelInvitation(t.db, w.worker.actor, { ref: { email: inv.email! } }))).code).toBe(AppErrorCode.FORBIDDEN);
  });

  it("should show an expired invitation as EXPIRED, never pending, and let a new invitation to the same email through", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor);
    await t.db.invitation.updateMany({ where: { id: inv.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await previewInvitation(t.db, inv.token)).toBeNull();
    const pending = await listPendingInvitations(t.db, w.owner.actor);
    expect(pending.invitations.some((i) => i.id === inv.invitation.id)).toBe(false);
    const all = await listPendingInvitations(t.db, w.owner.actor, { includeExpired: true });
    expect(all.invitations.find((i) => i.id === inv.invitation.id)?.status).toBe("EXPIRED");
    const again = await createInvitation(t.db, w.owner.actor, { email: inv.email!, sendEmail: false });
    expect(again.invitation.status).toBe("PENDING");
    expect(await t.db.auditEvent.count({ where: { action: "invitation.expired", targetId: String(inv.invitation.id) } })).toBe(1);
  });

  it("should mark an expired invitation EXPIRED inside the create transaction (no lazy list needed)", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor);
    await t.db.invitation.updateMany({ where: { id: inv.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await createInvitation(t.db, w.owner.actor, { email: inv.email!, sendEmail: false });
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "EXPIRED", pendingKey: null });
  });
});

describe("listPendingInvitations", () => {
  it("should list pending invitations by kind with age, expiry, send count and the latest delivery status", async () => {
    const client = await createInvitation(t.db, w.owner.actor, { email: uniqueEmail("client"), kind: "CLIENT" });
    const list = await listPendingInvitations(t.db, w.accountant.actor, { kind: "CLIENT" });
    expect(list.invitations.every((i) => i.kind === "CLIENT")).toBe(true);
    const row = list.invitations.find((i) => i.id === client.invitation.id);
    expect(row).toMatchObject({ status: "PENDING", ageDays: 0, sendCount: 1, roles: ["client"], delivery: { status: "queued" } });
  });

  it("should deny a worker (neither members.read nor members.invite)", async () => {
    expect((await appError(listPendingInvitations(t.db, w.worker.actor))).code).toBe(AppErrorCode.FORBIDDEN);
  });
});

describe("acceptInvitation and declineInvitation", () => {
  it("should preview without writing: tenant, inviter, kind, roles; the same null for a tampered token", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor, { roles: ["manager"] });
    const preview = await previewInvitation(t.db, inv.token);
    expect(preview).toMatchObject({ tenantName: w.tenant.name, kind: "MEMBER", roles: [{ slug: "manager", title: "Manager" }], email: inv.email });
    expect(preview?.inviterName).toBeTruthy();
    expect(await previewInvitation(t.db, `${inv.token.slice(0, -1)}x`)).toBeNull();
    expect(await previewInvitation(t.db, "")).toBeNull();
  });

  it("should apply the preset tenant roles and unit grants, verify the email through the link and notify the inviter", async () => {
    const inv = await inviteWithLink(t.db, w.administrator.actor, {
      roles: ["manager"],
      unitGrants: [{ unitId: w.units.l1.id, role: "accountant", permissions: [{ slug: "send_sms", value: true }], staffId: 7, position: "Front desk" }],
    });
    const invitee = await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } });
    const out = await acceptInvitation(t.db, { userId: invitee.id, rawToken: inv.token });
    const m = await t.db.membership.findUniqueOrThrow({
      where: { tenantId_id: { tenantId: out.tenantId, id: out.membershipId } },
      include: { roles: { include: { role: true } }, unitAccess: { include: { role: true } } },
    });
    expect(m).toMatchObject({ tenantId: w.tenant.id, userId: invitee.id, kind: "MEMBER", status: "ACTIVE" });
    expect(m.roles.map((r) => r.role.slug)).toEqual(["manager"]);
    expect(m.unitAccess).toHaveLength(1);
    expect(m.unitAccess[0]).toMatchObject({ unitId: w.units.l1.id, status: "ACTIVE", overrides: { send_sms: true }, staffId: 7, position: "Front desk" });
    expect(m.unitAccess[0]!.role.slug).toBe("accountant");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: invitee.id } })).emailVerifiedAt).toBeInstanceOf(Date);
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "ACCEPTED", pendingKey: null });
    expect(await t.db.emailDelivery.count({ where: { kind: "invitation_accepted", to: w.administrator.user.email } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "invitation.accepted", targetId: String(inv.invitation.id) } })).toBe(1);
    // Spent: the same link is now neutral.
    expect(await previewInvitation(t.db, inv.token)).toBeNull();
    expect((await appError(acceptInvitation(t.db, { userId: invitee.id, rawToken: inv.token }))).code).toBe(AppErrorCode.NOT_FOUND);
  });

  it("should refuse acceptance while signed in as another account (FORBIDDEN, clear message) and leave the invitation pending", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor);
    const other = await createAccount(t.db);
    const err = await appError(acceptInvitation(t.db, { userId: other.id, rawToken: inv.token }));
    expect(err.code).toBe(AppErrorCode.FORBIDDEN);
    expect(err.userMessage).toContain(inv.email!);
    expect(err.userMessage).toContain(other.email);
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "PENDING" });
    expect(await t.db.membership.count({ where: { tenantId: w.tenant.id, userId: other.id } })).toBe(0);
  });

  it("should refuse when the inviter has since lost the right to grant the presets, and keep the invitation pending", async () => {
    const inv = await inviteWithLink(t.db, w.administrator.actor, { roles: ["manager"] });
    const admin = await t.db.membershipRole.findFirstOrThrow({ where: { membershipId: w.administrator.membershipId } });
    const worker = await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: w.tenant.id, slug: "worker" } } });
    await t.db.membershipRole.updateMany({ where: { membershipId: admin.membershipId, roleId: admin.roleId }, data: { roleId: worker.id } });
    try {
      const invitee = await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } });
      const err = await appError(acceptInvitation(t.db, { userId: invitee.id, rawToken: inv.token }));
      expect(err.code).toBe(AppErrorCode.FORBIDDEN);
      expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "PENDING" });
      expect(await t.db.membership.count({ where: { tenantId: w.tenant.id, userId: invitee.id } })).toBe(0);
    } finally {
      const administrator = await t.db.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: w.tenant.id, slug: "administrator" } } });
      await t.db.membershipRole.updateMany({ where: { membershipId: admin.membershipId, roleId: worker.id }, data: { roleId: administrator.id } });
    }
  });

  it("should refuse acceptance for a suspended tenant", async () => {
    const other = await createTenantWithOwner(t.db);
    const inv = await inviteWithLink(t.db, systemActor(other.tenant));
    await t.db.tenant.update({ where: { id: other.tenant.id }, data: { status: "SUSPENDED" } });
    const invitee = await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } });
    expect((await appError(acceptInvitation(t.db, { userId: invitee.id, rawToken: inv.token }))).code).toBe(AppErrorCode.FORBIDDEN);
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "PENDING" });
  });

  it("should let an existing signed-in account accept a phone invitation and add the phone to its profile", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor, { phone: "+15551230003" });
    const person = await createAccount(t.db);
    await acceptInvitation(t.db, { userId: person.id, rawToken: inv.token });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).phone).toBe("+15551230003");
  });

  it("should create a client membership from a client invitation", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor, { kind: "CLIENT" });
    const invitee = await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } });
    const out = await acceptInvitation(t.db, { userId: invitee.id, rawToken: inv.token });
    expect(await t.db.membership.findFirstOrThrow({ where: { id: out.membershipId } })).toMatchObject({ kind: "CLIENT" });
  });

  it("should decline: the invitation becomes DECLINED and the link stops working", async () => {
    const inv = await inviteWithLink(t.db, w.owner.actor);
    const invitee = await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } });
    await declineInvitation(t.db, { userId: invitee.id, rawToken: inv.token });
    expect(await t.db.invitation.findFirstOrThrow({ where: { id: inv.invitation.id } })).toMatchObject({ status: "DECLINED", pendingKey: null });
    expect(await previewInvitation(t.db, inv.token)).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "invitation.declined", targetId: String(inv.invitation.id) } })).toBe(1);
  });
});

describe("invitations tRPC router", () => {
  it("should create through a tenant procedure, preview publicly and accept as the signed-in invitee", async () => {
    const owner = (await signIn(t.db, w.owner.user)).caller;
    const out = await owner.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("trpc"), sendEmail: false, roles: ["accountant"] });
    const token = tokenOf(out.inviteUrl);
    const anonymous = callerFor(t.db, null);
    expect(await anonymous.invitations.preview({ rawToken: token })).toMatchObject({ tenantSlug: w.tenant.slug });
    await expect(anonymous.invitations.accept({ rawToken: token })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const invitee = await t.db.user.findUniqueOrThrow({ where: { email: out.invitation.email! } });
    const signedIn = (await signIn(t.db, invitee)).caller;
    expect(await signedIn.invitations.accept({ rawToken: token })).toMatchObject({ tenantSlug: w.tenant.slug });
    const pending = await owner.invitations.listPending({ tenant: w.tenant.slug });
    expect(pending.invitations.some((i) => i.id === out.invitation.id)).toBe(false);
  });

  it("should deny invitations.create to a worker with FORBIDDEN", async () => {
    const worker = (await signIn(t.db, w.worker.user)).caller;
    await expect(worker.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("x") })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
