/**
 * A password sign-in (one factor) costs three statements from the form's post to the session row: the attempt with
 * the account lookup, and the session with its sign-in time and the cleared attempt counter (the budget over HTTP is
 * six). A correct password still clears the (account, IP) counter, and a known device sends no email.
 */
import { describe, expect, it } from "vitest";
import { authorizeSignIn, startSession } from "../../server/auth/sign-in.ts";
import { signInAccountIpKey } from "../../server/security/rate-limit.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, PASSWORD, SESSION_POLICY } from "../helpers/factories.ts";
import { countStatements } from "../helpers/statement-counter.ts";

const t = useTestDb();
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

describe("password sign-in statements", () => {
  it("should authorize and start a session on a known device in three statements, clearing the attempt counter", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const meta = { ip: "198.51.100.4", userAgent: UA };
    // The first session makes the device known.
    const first = await authorizeSignIn(t.db, { email: owner.email, password: PASSWORD }, meta);
    await startSession(t.db, { id: owner.id }, SESSION_POLICY, { ...meta, pairKey: first!.pairKey ?? null });

    const { result, count, sql } = await countStatements(async () => {
      const user = await authorizeSignIn(t.db, { email: owner.email, password: PASSWORD }, meta);
      return startSession(t.db, { id: user!.id }, SESSION_POLICY, { ...meta, pairKey: user!.pairKey ?? null });
    });
    expect(count, sql.join("\n")).toBeLessThanOrEqual(3);
    expect(result.newDevice).toBe(false);
    expect(await t.db.rateLimit.findUnique({ where: { key: signInAccountIpKey(owner.email, meta.ip) } })).toBeNull();
    const row = await t.db.authSession.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({ userId: owner.id, device: "Chrome on Linux", revokedAt: null });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).lastLoginAt).not.toBeNull();
    expect(await t.db.emailDelivery.count({ where: { kind: "new_device_sign_in" } })).toBe(0);
  });

  it("should queue the new-device email with the session when the device was not seen before", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const known = { ip: "198.51.100.5", userAgent: UA };
    await startSession(t.db, { id: owner.id }, SESSION_POLICY, known);
    const firefox = { ip: "198.51.100.5", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0" };
    const res = await startSession(t.db, { id: owner.id }, SESSION_POLICY, firefox);
    expect(res.newDevice).toBe(true);
    expect(await t.db.authSession.count({ where: { userId: owner.id } })).toBe(2);
    expect(await t.db.emailDelivery.count({ where: { kind: "new_device_sign_in", to: owner.email } })).toBe(1);
  });
});
