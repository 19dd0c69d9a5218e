/** Invitations under concurrency and over real SMTP: exactly one winner of eight concurrent accepts; the email reaches a local SMTP sink with a working link. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmtpMailer } from "../../server/email/transport.ts";
import { runDueJobs } from "../../server/jobs/queue.ts";
import { latestDeliveryStatus } from "../../server/email/delivery-status.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { createInvitation } from "../../server/services/invitations/create-invitation.ts";
import { previewInvitation } from "../../server/services/invitations/preview-invitation.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, systemActor, uniqueEmail } from "../helpers/factories.ts";
import { inviteWithLink, tokenOf } from "../helpers/invitation-factories.ts";
import { actorOf } from "../helpers/members-factories.ts";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";

const t = useTestDb();
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink?.stop());

describe("invitation acceptance under concurrency", () => {
  it("should turn eight concurrent accepts of one invitation into exactly one membership", async () => {
    const { tenant } = await createTenantWithOwner(t.db);
    const inv = await inviteWithLink(t.db, systemActor(tenant), { roles: ["worker"] });
    const invitee = await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acceptInvitation(t.db, { userId: invitee.id, rawToken: inv.token })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect((r.reason as { code?: string }).code).toMatch(/^(NOT_FOUND|CONFLICT)$/);
    }
    expect(await t.db.membership.count({ where: { tenantId: tenant.id, userId: invitee.id } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "invitation.accepted", targetId: String(inv.invitation.id) } })).toBe(1);
  });
});

describe("invitation email over SMTP", () => {
  it("should deliver the invitation after commit to a real SMTP server, with a link that opens the invitation", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db, { name: "Acme <Sink>" });
    const email = uniqueEmail("smtp");
    const out = await createInvitation(t.db, await actorOf(t.db, tenant, owner.id), { email, roles: ["manager"], message: "Welcome <b>aboard</b>" });
    // Nothing is sent inside the request: only after commit, by the job runner.
    expect(sink.inbox.length).toBe(0);
    const before = sink.inbox.length;
    await runDueJobs(t.db, { deps: { mailer: createSmtpMailer({ url: sink.url, from: "Roster <no-reply@roster.test>" }) } });
    const mail = (await sink.waitFor(before + 1)).find((m) => m.subject?.includes("Acme"))!;
    expect(mail.subject).toBe("You are invited to join Acme <Sink>");
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null).toBe(email);
    const link = /https?:\/\/\S+\/invite\/(rs_inv_[A-Za-z0-9_-]+)/.exec(mail.text ?? "");
    expect(link).not.toBeNull();
    expect(await previewInvitation(t.db, tokenOf(link![0]))).toMatchObject({ tenantName: "Acme <Sink>", roles: [{ slug: "manager" }] });
    expect(mail.html as string).not.toContain("<b>aboard</b>");
    expect(await latestDeliveryStatus(t.db, "invitation", out.invitation.id)).toMatchObject({ status: "sent" });
  });
});
