/** Sign-up through an invitation link: the invitee gets a password and a verified email; nothing else can set one. */
import { beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "../../server/auth/credentials.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { inviteeNeedsAccount, signUpFromInvitation } from "../../server/services/auth/sign-up-from-invitation.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, PASSWORD, systemActor, TEST_META, type TestTenant } from "../helpers/factories.ts";
import { inviteWithLink } from "../helpers/invitation-factories.ts";

const t = useTestDb();
let tenant: TestTenant;
beforeAll(async () => {
  tenant = (await createTenantWithOwner(t.db)).tenant;
});

describe("signUpFromInvitation", () => {
  it("should set the password, verify the email, audit it, and let the new user sign in and accept", async () => {
    const inv = await inviteWithLink(t.db, systemActor(tenant));
    expect(await inviteeNeedsAccount(t.db, inv.token)).toEqual({ needsAccount: true, email: inv.email });
    const { email } = await signUpFromInvitation(t.db, { rawToken: inv.token, password: PASSWORD, firstName: "Nia" }, TEST_META);
    expect(email).toBe(inv.email);
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).not.toBeNull();
    expect(user.firstName).toBe("Nia");
    expect(await t.db.auditEvent.count({ where: { action: "user.signed_up", targetId: String(user.id) } })).toBe(1);
    expect((await verifyCredentials(t.db, email, PASSWORD)).id).toBe(user.id);
    expect(await inviteeNeedsAccount(t.db, inv.token)).toEqual({ needsAccount: false, email });
    const accepted = await acceptInvitation(t.db, { userId: user.id, rawToken: inv.token }, TEST_META);
    expect(accepted.tenantSlug).toBe(tenant.slug);
  });

  it("should refuse a second sign-up on the same link with CONFLICT and keep the first password", async () => {
    const inv = await inviteWithLink(t.db, systemActor(tenant));
    await signUpFromInvitation(t.db, { rawToken: inv.token, password: PASSWORD }, TEST_META);
    await expect(signUpFromInvitation(t.db, { rawToken: inv.token, password: "another-password-1" }, TEST_META)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(verifyCredentials(t.db, inv.email!, PASSWORD)).resolves.toMatchObject({ email: inv.email });
  });

  it("should answer NOT_FOUND for a tampered or cancelled link and write nothing", async () => {
    const inv = await inviteWithLink(t.db, systemActor(tenant));
    await expect(signUpFromInvitation(t.db, { rawToken: inv.token + "x", password: PASSWORD }, TEST_META)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await t.db.invitation.updateMany({ where: { id: inv.invitation.id }, data: { status: "CANCELLED", pendingKey: null } });
    await expect(signUpFromInvitation(t.db, { rawToken: inv.token, password: PASSWORD }, TEST_META)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await t.db.user.findUniqueOrThrow({ where: { email: inv.email! } })).passwordHash).toBeNull();
    expect(await inviteeNeedsAccount(t.db, inv.token)).toBeNull();
  });

  it("should refuse a short password with UNPROCESSABLE naming the field", async () => {
    const inv = await inviteWithLink(t.db, systemActor(tenant));
    await expect(signUpFromInvitation(t.db, { rawToken: inv.token, password: "short" }, TEST_META)).rejects.toMatchObject({
      code: "UNPROCESSABLE",
      userMessage: expect.stringContaining("password"),
    });
  });
});
