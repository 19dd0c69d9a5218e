/** verifyCredentials: one answer for every failure, and throttling per email. */
import { describe, expect, it } from "vitest";
import { verifyCredentials } from "../../server/auth/credentials.ts";
import { authorizeSignIn, SIGN_IN_ERRORS } from "../../server/auth/sign-in.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, PASSWORD, uniqueEmail } from "../helpers/factories.ts";

const t = useTestDb();

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe("verifyCredentials", () => {
  it("should return the user for the right password, whatever the email's case and spacing", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    await expect(verifyCredentials(t.db, `  ${owner.email.toUpperCase()} `, PASSWORD)).resolves.toMatchObject({ id: owner.id, email: owner.email });
  });

  it("should answer a wrong password and an unknown email with the same UNAUTHORIZED", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const wrong = await failure(verifyCredentials(t.db, owner.email, "not-the-password"));
    const unknown = await failure(verifyCredentials(t.db, uniqueEmail("ghost"), PASSWORD));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", userMessage: "Wrong email or password." });
    expect(unknown).toMatchObject({ code: "UNAUTHORIZED", userMessage: "Wrong email or password." });
  });

  it("should refuse a disabled account with the same UNAUTHORIZED even with the right password", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    await t.db.user.update({ where: { id: owner.id }, data: { disabledAt: new Date() } });
    await expect(verifyCredentials(t.db, owner.email, PASSWORD)).rejects.toMatchObject({ code: "UNAUTHORIZED", userMessage: "Wrong email or password." });
  });

  it("should refuse empty input without touching the database", async () => {
    await expect(verifyCredentials(t.db, "", "")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("should throttle an email after 10 failures with TOO_MANY_REQUESTS, even for the right password", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    for (let i = 1; i <= 10; i++) {
      await expect(verifyCredentials(t.db, owner.email, `wrong-${i}`), `attempt ${i}`).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    const limited = await failure(verifyCredentials(t.db, owner.email, PASSWORD));
    expect(limited).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((limited as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
    expect((limited as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it("should throttle per email: another account is unaffected", async () => {
    const a = await createTenantWithOwner(t.db);
    const b = await createTenantWithOwner(t.db);
    for (let i = 0; i < 11; i++) await failure(verifyCredentials(t.db, a.owner.email, "wrong"));
    await expect(verifyCredentials(t.db, a.owner.email, PASSWORD)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(verifyCredentials(t.db, b.owner.email, PASSWORD)).resolves.toMatchObject({ id: b.owner.id });
  });

  it("should reset the counter after a successful sign-in", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    for (let i = 0; i < 9; i++) await failure(verifyCredentials(t.db, owner.email, "wrong"));
    await verifyCredentials(t.db, owner.email, PASSWORD);
    for (let i = 0; i < 10; i++) {
      await expect(verifyCredentials(t.db, owner.email, "wrong")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
  });
});

describe("authorizeSignIn", () => {
  it("should answer a missing email or password with MissingCredentials, not as a wrong password", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    for (const credentials of [{ email: "", password: "" }, { email: "  ", password: PASSWORD }, { email: owner.email, password: "" }, undefined]) {
      await expect(authorizeSignIn(t.db, credentials)).rejects.toMatchObject({ name: "SignInStepError", message: SIGN_IN_ERRORS.missing });
    }
    await expect(authorizeSignIn(t.db, { email: owner.email, password: "not-the-password" })).resolves.toBeNull();
  });
});
