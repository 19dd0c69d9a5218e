/**
 * Sessions (issue 9, capability 5): browser and OS from the user agent, the new-device email, and rotation (a new
 * row and secret replace the old after a two-factor change or a re-authentication), through the real next-auth
 * jwt callback.
 */
import type { JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { getAuthOptions } from "../../server/auth/options.ts";
import { deviceOf, requireSessionRotation, resolveSession, rotateSession } from "../../server/auth/sessions.ts";
import { startSession } from "../../server/auth/sign-in.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, SESSION_POLICY, signIn } from "../helpers/factories.ts";

const t = useTestDb();
const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
const SAFARI_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const meta = (userAgent: string | null) => ({ ip: "198.51.100.4", userAgent });
const newDeviceMails = (to: string) => t.db.emailDelivery.count({ where: { kind: "new_device_sign_in", to } });

describe("devices", () => {
  it("should name browser and OS from the user agent, and nothing for an unknown one", () => {
    expect(deviceOf(CHROME_LINUX)).toBe("Chrome on Linux");
    expect(deviceOf(FIREFOX_WINDOWS)).toBe("Firefox on Windows");
    expect(deviceOf(SAFARI_IOS)).toBe("Mobile Safari on iOS");
    expect(deviceOf("vitest")).toBeNull();
    expect(deviceOf(null)).toBeNull();
  });

  it("should store the device on the session row and show it in the sessions list", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const s = await startSession(t.db, owner, SESSION_POLICY, meta(CHROME_LINUX));
    expect((await t.db.authSession.findUniqueOrThrow({ where: { id: s.id } })).device).toBe("Chrome on Linux");
    const { caller } = await signIn(t.db, owner);
    const list = await caller.account.sessions();
    expect(list.find((x) => x.id === s.id)).toMatchObject({ device: "Chrome on Linux", userAgent: CHROME_LINUX });
  });
});

describe("new-device email", () => {
  it("should email on a sign-in from a browser and OS pair not seen in 90 days, and not for a known one or the first sign-in", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const first = await startSession(t.db, owner, SESSION_POLICY, meta(CHROME_LINUX));
    expect(first.newDevice).toBe(false);
    expect(await newDeviceMails(owner.email)).toBe(0);

    await startSession(t.db, owner, SESSION_POLICY, meta(CHROME_LINUX));
    expect(await newDeviceMails(owner.email)).toBe(0);

    const firefox = await startSession(t.db, owner, SESSION_POLICY, meta(FIREFOX_WINDOWS));
    expect(firefox.newDevice).toBe(true);
    expect(await newDeviceMails(owner.email)).toBe(1);
    const delivery = await t.db.emailDelivery.findFirstOrThrow({ where: { kind: "new_device_sign_in", to: owner.email } });
    expect(delivery.subject).toContain("Firefox on Windows");
    expect(await t.db.job.count({ where: { type: "sendEmail" } })).toBeGreaterThanOrEqual(1);

    // Seen more than 90 days ago only: new again.
    await t.db.authSession.updateMany({ where: { userId: owner.id, device: "Chrome on Linux" }, data: { createdAt: new Date(Date.now() - 91 * 86_400_000) } });
    await startSession(t.db, owner, SESSION_POLICY, meta(CHROME_LINUX));
    expect(await newDeviceMails(owner.email)).toBe(2);
  });
});

describe("rotation", () => {
  it("should replace the row and secret, keeping sign-in time, device and re-auth time", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const s = await startSession(t.db, owner, SESSION_POLICY, meta(CHROME_LINUX));
    const before = await t.db.authSession.findUniqueOrThrow({ where: { id: s.id } });
    await requireSessionRotation(t.db, s.id);
    expect((await t.db.authSession.findUniqueOrThrow({ where: { id: s.id } })).expiresAt.getTime()).toBeLessThan(before.expiresAt.getTime());

    const rotated = await rotateSession(t.db, s.secret, SESSION_POLICY);
    expect(rotated).not.toBeNull();
    expect(rotated!.secret).not.toBe(s.secret);
    expect(await resolveSession(t.db, s.secret, SESSION_POLICY)).toBeNull();
    expect(await resolveSession(t.db, rotated!.secret, SESSION_POLICY)).toMatchObject({ id: rotated!.id, userId: owner.id });
    const after = await t.db.authSession.findUniqueOrThrow({ where: { id: rotated!.id } });
    expect(after).toMatchObject({ device: "Chrome on Linux", userAgent: CHROME_LINUX, ip: "198.51.100.4" });
    expect(after.createdAt.getTime()).toBe(before.createdAt.getTime());
    expect(after.reauthAt.getTime()).toBe(before.reauthAt.getTime());
    // The rotation grace is undone: the absolute timeout counts from the original sign-in again.
    expect(after.expiresAt.getTime()).toBe(before.createdAt.getTime() + SESSION_POLICY.maxMs);
    // A rotated-away secret cannot be rotated again.
    expect(await rotateSession(t.db, s.secret, SESSION_POLICY)).toBeNull();
  });

  it("should leave a session marked for rotation dead after the grace if the browser never rotates it", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const s = await signIn(t.db, owner);
    await requireSessionRotation(t.db, s.sessionId);
    expect(await resolveSession(t.db, s.secret, SESSION_POLICY)).not.toBeNull();
    expect(await resolveSession(t.db, s.secret, SESSION_POLICY, new Date(Date.now() + 3 * 60_000))).toBeNull();
  });

  it("should rotate through next-auth's jwt callback on update({ rotate: true }) and keep the old cookie's token dead", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const jwt = getAuthOptions().callbacks!.jwt!;
    const signedIn = await jwt({ token: {}, user: { id: String(owner.id), email: owner.email, name: owner.email, userAgent: CHROME_LINUX, ip: null }, account: null } as never);
    const sid = (signedIn as JWT).sid!;
    expect(sid).toMatch(/^rs_sess_/);
    // An update without rotate changes nothing.
    expect(((await jwt({ token: signedIn, trigger: "update", session: {} } as never)) as JWT).sid).toBe(sid);

    const rotated = (await jwt({ token: signedIn, trigger: "update", session: { rotate: true } } as never)) as JWT;
    expect(rotated.sid).not.toBe(sid);
    expect(rotated.sessionId).not.toBe((signedIn as JWT).sessionId);
    await expect(jwt({ token: signedIn } as never)).rejects.toThrow();
    await expect(jwt({ token: rotated } as never)).resolves.toMatchObject({ uid: owner.id, sessionId: rotated.sessionId });
  });
});
