/**
 * Statement budgets of the invitation mutations (issue 10): counted at the driver around one tRPC call of a signed-in
 * caller, so the request's context statement, BEGIN and COMMIT are all in the count. invite ≤ 8, accept ≤ 8.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { accessWorld, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { signIn, uniqueEmail } from "../helpers/factories.ts";
import { createAccount, inviteWithLink } from "../helpers/invitation-factories.ts";
import { countStatements } from "../helpers/statement-counter.ts";
import { createJoinRequest } from "../../server/services/join-requests/create-join-request.ts";
import { TEST_META } from "../helpers/factories.ts";
import { ZSendEmailPayload } from "../../server/email/email.schema.ts";
import { renderTemplate } from "../../server/email/templated.ts";
import { invitationEmail } from "../../server/email/index.ts";

const INVITE_BUDGET = 8;
const ACCEPT_BUDGET = 8;

const t = useTestDb();
let w: AccessWorld;
beforeAll(async () => {
  w = await accessWorld(t.db);
});

/** The statements, numbered, for a failure message that shows where they went. */
const listing = (sql: string[]) => sql.map((s, i) => `${i + 1}. ${s}`).join("\n");

async function expectWithin<T>(budget: number, work: () => Promise<T>): Promise<T> {
  const { result, count, sql } = await countStatements(work);
  if (process.env.SHOW_STATEMENTS) console.log(`${count} statements:\n${listing(sql)}`);
  expect(count, `${count} statements:\n${listing(sql)}`).toBeLessThanOrEqual(budget);
  return result;
}

describe("invitations.create budget", () => {
  it(`should invite one person by email (emailed, default role) in at most ${INVITE_BUDGET} statements`, async () => {
    const { caller } = await signIn(t.db, w.owner.user);
    await caller.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("warm") });
    const email = uniqueEmail("budget");
    const out = await expectWithin(INVITE_BUDGET, () => caller.invitations.create({ tenant: w.tenant.slug, email }));
    expect(out.invitation).toMatchObject({ email, status: "PENDING", roles: ["worker"] });
    expect(await t.db.emailDelivery.count({ where: { refType: "invitation", refId: String(out.invitation.id) } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "invitation.created", targetId: String(out.invitation.id) } })).toBe(1);
  });

  it(`should invite with preset roles and a unit grant, by a non-owner inviter, in at most ${INVITE_BUDGET} statements`, async () => {
    const { caller } = await signIn(t.db, w.administrator.user);
    await caller.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("warm") });
    const email = uniqueEmail("budget");
    const out = await expectWithin(INVITE_BUDGET, () =>
      caller.invitations.create({ tenant: w.tenant.slug, email, roles: ["worker"], unitGrants: [{ unitId: w.units.l1.id, role: "worker" }], message: "Hello" }),
    );
    expect(out.invitation.unitGrants).toMatchObject([{ unitId: w.units.l1.id, role: "worker" }]);
  });

  it(`should replace an expired invitation (expired and audited in the same transaction) in at most ${INVITE_BUDGET} statements`, async () => {
    const { caller } = await signIn(t.db, w.owner.user);
    const email = uniqueEmail("stale");
    const old = await caller.invitations.create({ tenant: w.tenant.slug, email });
    await t.db.invitation.updateMany({ where: { id: old.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const out = await expectWithin(INVITE_BUDGET, () => caller.invitations.create({ tenant: w.tenant.slug, email }));
    expect(out.invitation.id).not.toBe(old.invitation.id);
    expect((await t.db.invitation.findFirstOrThrow({ where: { id: old.invitation.id } })).status).toBe("EXPIRED");
    expect(await t.db.auditEvent.count({ where: { action: "invitation.expired", targetId: String(old.invitation.id), actorType: "SYSTEM" } })).toBe(1);
  });

  it(`should refuse a duplicate pending invitation (409) in at most ${INVITE_BUDGET} statements`, async () => {
    const { caller } = await signIn(t.db, w.owner.user);
    const email = uniqueEmail("dup");
    await caller.invitations.create({ tenant: w.tenant.slug, email });
    const { count } = await countStatements(() => caller.invitations.create({ tenant: w.tenant.slug, email }).catch((e: unknown) => e));
    expect(count).toBeLessThanOrEqual(INVITE_BUDGET);
    await expect(caller.invitations.create({ tenant: w.tenant.slug, email })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("invitation email rendered at send time", () => {
  it("should queue a template whose rendering is the invitation email, with the delivery's subject", async () => {
    const { caller } = await signIn(t.db, w.owner.user);
    const out = await caller.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("tpl"), message: "See you" });
    const delivery = await t.db.emailDelivery.findFirstOrThrow({ where: { refType: "invitation", refId: String(out.invitation.id) } });
    const job = await t.db.job.findFirstOrThrow({ where: { payload: { path: ["deliveryId"], equals: delivery.id } } });
    const p = ZSendEmailPayload.parse(job.payload);
    if (!("template" in p) || p.template.name !== "invitation") throw new Error("expected an invitation template");
    expect(p.template.props).toMatchObject({ tenantName: w.tenant.name, message: "See you", roleTitle: "Worker", expiresAt: out.invitation.expiresAt });
    const rendered = await renderTemplate(p.template);
    expect(rendered).toEqual(await invitationEmail(p.template.props));
    expect(rendered.subject).toBe(delivery.subject);
    expect(p.subject).toBe(delivery.subject);
    expect(rendered.text).toContain(p.template.props.acceptUrl);
  });
});

describe("invitations.acceptMine budget", () => {
  it(`should accept one's own invitation (inviter notified) in at most ${ACCEPT_BUDGET} statements`, async () => {
    const me = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, w.owner.actor, { email: me.email, roles: ["manager"] });
    const { caller } = await signIn(t.db, me);
    const out = await expectWithin(ACCEPT_BUDGET, () => caller.invitations.acceptMine({ id: inv.invitation.id }));
    expect(out).toMatchObject({ tenantId: w.tenant.id, tenantSlug: w.tenant.slug, invitationId: inv.invitation.id, skippedUnits: [] });
    expect(await t.db.membership.count({ where: { tenantId: w.tenant.id, userId: me.id } })).toBe(1);
    expect(await t.db.emailDelivery.count({ where: { kind: "invitation_accepted", refId: String(out.membershipId) } })).toBe(1);
  });

  it(`should accept an invitation with unit grants from a non-owner inviter in at most ${ACCEPT_BUDGET} statements`, async () => {
    const me = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, w.administrator.actor, {
      email: me.email, roles: ["worker"], unitGrants: [{ unitId: w.units.l1.id, role: "worker" }, { unitId: w.units.l2.id, role: "worker" }],
    });
    const { caller } = await signIn(t.db, me);
    const out = await expectWithin(ACCEPT_BUDGET, () => caller.invitations.acceptMine({ id: inv.invitation.id }));
    expect(out.membershipId).toBeGreaterThan(0);
    expect(await t.db.unitAccess.count({ where: { membershipId: out.membershipId, status: "ACTIVE" } })).toBe(2);
  });
});

describe("invitations.accept (link) and invitations.resend statements", () => {
  it(`should accept through the link (token guard included) in at most ${ACCEPT_BUDGET} statements`, async () => {
    const me = await createAccount(t.db, { verified: false });
    const inv = await inviteWithLink(t.db, w.owner.actor, { email: me.email });
    const { caller } = await signIn(t.db, me);
    const out = await expectWithin(ACCEPT_BUDGET, () => caller.invitations.accept({ rawToken: inv.token }));
    expect(out.invitationId).toBe(inv.invitation.id);
    // The link proved the mailbox: the unverified account is verified in the same statement.
    expect((await t.db.user.findUniqueOrThrow({ where: { id: me.id } })).emailVerifiedAt).not.toBeNull();
  });

  it(`should resend an emailed invitation in at most ${INVITE_BUDGET} statements, withdrawing the old message`, async () => {
    const { caller } = await signIn(t.db, w.owner.user);
    const first = await caller.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("resend") });
    const out = await expectWithin(INVITE_BUDGET, () => caller.invitations.resend({ tenant: w.tenant.slug, ref: { id: first.invitation.id } }));
    expect(out.invitation.sendCount).toBe(2);
    const deliveries = await t.db.emailDelivery.findMany({ where: { refType: "invitation", refId: String(first.invitation.id) }, orderBy: { id: "asc" } });
    expect(deliveries.map((d) => d.status)).toEqual(["CANCELLED", "QUEUED"]);
  });
});

describe("invitations.cancel statements", () => {
  it("should cancel by email in one statement after the context (withdrawal and audit included)", async () => {
    const { caller } = await signIn(t.db, w.owner.user);
    const email = uniqueEmail("cancel");
    const inv = await caller.invitations.create({ tenant: w.tenant.slug, email });
    const out = await expectWithin(2, () => caller.invitations.cancel({ tenant: w.tenant.slug, ref: { email } }));
    expect(out).toMatchObject({ id: inv.invitation.id, status: "CANCELLED", email });
    expect((await t.db.emailDelivery.findFirstOrThrow({ where: { refType: "invitation", refId: String(inv.invitation.id) } })).status).toBe("CANCELLED");
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "invitation.cancelled", targetId: String(inv.invitation.id) } });
    expect(audit.before).toEqual({ status: "PENDING", email, phone: null });
  });
});

describe("joinRequests.accept statements", () => {
  // Not one of issue 10's named budgets; held to the accept budget so no query per unit or relation creeps back.
  it(`should accept a join request with two units in at most ${ACCEPT_BUDGET} statements`, async () => {
    await t.db.tenant.update({ where: { id: w.tenant.id }, data: { joinPolicy: "REQUEST" } });
    const person = await createAccount(t.db);
    const request = await createJoinRequest(t.db, { userId: person.id, tenantSlug: w.tenant.slug, message: null }, TEST_META);
    const { caller } = await signIn(t.db, w.owner.user);
    const out = await expectWithin(ACCEPT_BUDGET, () =>
      caller.joinRequests.accept({ tenant: w.tenant.slug, id: request.id, role: "worker", unitIds: [w.units.l1.id, w.units.l2.id] }),
    );
    expect(out.request.status).toBe("ACCEPTED");
    expect(await t.db.unitAccess.count({ where: { membershipId: out.member.id, status: "ACTIVE" } })).toBe(2);
    expect(await t.db.emailDelivery.count({ where: { kind: "join_request_accepted", refId: String(request.id) } })).toBe(1);
  });
});
