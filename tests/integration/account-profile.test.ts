/**
 * Account self-service (issue 11, item 1): the signed-in person edits their own name, display name and language
 * (account.updateProfile), audited on the account trail; and their avatar, uploaded, re-encoded, stored as
 * content-addressed blobs and served at /avatars/<blobId>.
 */
import { encode } from "next-auth/jwt";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { GET as avatarRouteGET } from "../../app/avatars/[blobId]/route.ts";
import { POST as avatarRoutePOST } from "../../app/account/avatar/route.ts";
import { GET as activeMembersGET } from "../../app/api/v1/tenants/members/active/route.ts";
import { getEnv } from "../../server/env.ts";
import { AVATAR_MAX_BYTES, setOwnAvatar } from "../../server/services/account/avatar.ts";
import type { AccountSelf } from "../../server/services/account/self.ts";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, callerFor, createPartnerToken, createTenantWithOwner, signIn, TEST_META, type TestUser } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";

const t = useTestDb();

describe("account.updateProfile", () => {
  it("should save the caller's names and language, store blanks as null, and record one user.profile_changed event with only the changed fields", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    await t.db.user.update({ where: { id: owner.id }, data: { firstName: "Old", lastName: "Name", displayName: "ON", language: "en" } });
    const { caller } = await signIn(t.db, owner);

    const me = await caller.account.updateProfile({ firstName: "  Ada ", lastName: "Lovelace", displayName: "", language: "fr" });

    expect(me).toMatchObject({ id: owner.id, firstName: "Ada", lastName: "Lovelace", displayName: null, language: "fr" });
    const stored = await t.db.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(stored).toMatchObject({ firstName: "Ada", lastName: "Lovelace", displayName: null, language: "fr" });
    const events = await t.db.accountEvent.findMany({ where: { userId: owner.id, action: "user.profile_changed" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: "USER", actorUserId: owner.id, targetType: "user", targetId: String(owner.id),
      before: { firstName: "Old", lastName: "Name", displayName: "ON", language: "en" },
      after: { firstName: "Ada", lastName: "Lovelace", displayName: null, language: "fr" },
    });
  });

  it("should write no event when nothing changed", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    await t.db.user.update({ where: { id: owner.id }, data: { firstName: "Same", lastName: null, displayName: null, language: "de" } });
    const { caller } = await signIn(t.db, owner);
    await caller.account.updateProfile({ firstName: "Same", lastName: "", displayName: "", language: "de" });
    expect(await t.db.accountEvent.count({ where: { userId: owner.id, action: "user.profile_changed" } })).toBe(0);
  });

  it("should leave every other user untouched", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const other = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const before = await t.db.user.findUniqueOrThrow({ where: { id: other.user.id } });
    const { caller } = await signIn(t.db, owner);
    await caller.account.updateProfile({ firstName: "Only", lastName: "Me", displayName: "OM", language: "es" });
    const after = await t.db.user.findUniqueOrThrow({ where: { id: other.user.id } });
    expect(after).toEqual(before);
  });

  it("should answer UNPROCESSABLE_CONTENT naming the field for a too-long name, a control character and an unoffered language", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const { caller } = await signIn(t.db, owner);
    const ok = { firstName: "A", lastName: "B", displayName: "", language: "en" } as const;
    // The procedure's input parser and the service's parseInput both report { path, message } per field.
    type Issue = { path: string | PropertyKey[]; message: string };
    const issueOf = (p: Promise<unknown>) =>
      p.then(() => null, (e: { code?: string; cause?: { issues?: Issue[] } }) => ({
        code: e.code,
        issues: e.cause?.issues?.map((i) => ({ path: Array.isArray(i.path) ? i.path.join(".") : i.path, message: i.message })),
      }));

    expect(await issueOf(caller.account.updateProfile({ ...ok, firstName: "x".repeat(101) })))
      .toEqual({ code: "UNPROCESSABLE_CONTENT", issues: [{ path: "firstName", message: "Use at most 100 characters." }] });
    expect(await issueOf(caller.account.updateProfile({ ...ok, lastName: "Evil\u0000" })))
      .toMatchObject({ code: "UNPROCESSABLE_CONTENT", issues: [{ path: "lastName" }] });
    expect(await issueOf(caller.account.updateProfile({ ...ok, language: "xx" as never })))
      .toEqual({ code: "UNPROCESSABLE_CONTENT", issues: [{ path: "language", message: "Choose one of the languages offered." }] });
    await expect(caller.account.updateProfile({ ...ok, email: "new@example.test" } as never)).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    const stored = await t.db.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(stored.firstName).not.toBe("x".repeat(101));
    expect(await t.db.accountEvent.count({ where: { userId: owner.id, action: "user.profile_changed" } })).toBe(0);
  });

  it("should answer UNAUTHORIZED without a session", async () => {
    await expect(callerFor(t.db, null).account.updateProfile({ firstName: "A", lastName: "B", displayName: "", language: "en" }))
      .rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

/** A photo-like JPEG, wider than tall, carrying EXIF that must not survive. */
const photo = (width = 600, height = 400, color = { r: 200, g: 40, b: 90 }) =>
  sharp({ create: { width, height, channels: 3, background: color } })
    .jpeg()
    .withExif({ IFD0: { Copyright: "secret-exif-marker", ImageDescription: "GPS at home" } })
    .toBuffer();

const selfOf = (userId: number, sessionId: number): AccountSelf => ({ kind: "user", userId, sessionId, reauthAt: null, meta: TEST_META });

/** A real next-auth session cookie for a session row, as the browser would send it. */
async function cookieFor(user: TestUser) {
  const { secret } = await signIn(t.db, user);
  const token = await encode({ token: { sid: secret, email: user.email, name: user.email }, secret: getEnv().nextAuthSecret });
  return `next-auth.session-token=${token}`;
}

async function postAvatar(cookie: string | null, body: Uint8Array, contentType = "image/jpeg") {
  const headers: Record<string, string> = { "content-type": contentType, "sec-fetch-site": "same-origin" };
  if (cookie) headers.cookie = cookie;
  const res = await avatarRoutePOST(new Request("http://localhost/account/avatar", { method: "POST", headers, body: Buffer.from(body) }));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function getBlob(blobId: string, headers: Record<string, string> = {}) {
  return avatarRouteGET(new Request(`http://localhost/avatars/${blobId}`, { headers }), { params: Promise.resolve({ blobId }) });
}

describe("avatar upload and serving", () => {
  it("should re-encode an upload to 256 px and 64 px squares without metadata, serve them immutable, and fill the seed 003 DTO", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const cookie = await cookieFor(owner);

    const res = await postAvatar(cookie, await photo());

    expect(res.status).toBe(200);
    const stored = (await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).avatar as { blobId: string; thumbnailBlobId: string };
    expect(stored).toEqual({ blobId: expect.stringMatching(/^[0-9a-f]{64}$/), thumbnailBlobId: expect.stringMatching(/^[0-9a-f]{64}$/), width: 256, height: 256 });
    expect(res.body).toEqual({ avatar: { url: `/avatars/${stored.blobId}`, thumbnailUrl: `/avatars/${stored.thumbnailBlobId}` } });

    for (const [id, size] of [[stored.blobId, 256], [stored.thumbnailBlobId, 64]] as const) {
      const served = await getBlob(id);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/webp");
      expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const bytes = Buffer.from(await served.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height, exif: meta.exif, icc: meta.icc }).toEqual({ format: "webp", width: size, height: size, exif: undefined, icc: undefined });
      expect(bytes.includes("secret-exif-marker")).toBe(false);
      expect(served.headers.get("etag")).toBe(`"${id}"`);
      expect((await getBlob(id, { "if-none-match": `"${id}"` })).status).toBe(304);
    }

    const event = await t.db.accountEvent.findFirstOrThrow({ where: { userId: owner.id, action: "user.avatar_changed" } });
    expect(event).toMatchObject({ actorUserId: owner.id, targetId: String(owner.id), before: null, after: stored });
    expect((await caller(owner)).avatar).toEqual({ url: `/avatars/${stored.blobId}`, thumbnailUrl: `/avatars/${stored.thumbnailBlobId}` });

    const partner = await createPartnerToken(t.db, tenant, { scopes: ["members.read"] });
    const list = await callRoute(activeMembersGET as unknown as RouteHandler, { method: "GET", path: "/api/v1/tenants/members/active", authorization: `Bearer ${partner.token}` });
    expect(list.status).toBe(200);
    const mine = (list.body as Array<{ email: string; profile: unknown }>).find((m) => m.email === owner.email);
    expect(mine?.profile).toEqual({ displayName: null, avatar: { blobId: stored.blobId, thumbnailBlobId: stored.thumbnailBlobId, width: 256, height: 256 }, logo: null });
  });

  it("should store one blob per distinct encoding when two people upload the same picture", async () => {
    const { tenant, owner } = await createTenantWithOwner(t.db);
    const other = await addMemberWithRole(t.db, tenant, { role: "worker" });
    const picture = await photo(300, 500, { r: 10, g: 120, b: 30 });
    const a = await setOwnAvatar(t.db, selfOf(owner.id, 0), picture);
    const before = await t.db.contentBlob.count();
    const b = await setOwnAvatar(t.db, selfOf(other.user.id, 0), picture);
    expect(b).toEqual(a);
    expect(await t.db.contentBlob.count()).toBe(before);
    expect(await t.db.contentBlob.count({ where: { id: { in: [a.blobId, a.thumbnailBlobId] } } })).toBe(2);
  });

  it("should answer 413 with a clear message for an upload over 2 MB and store nothing", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const cookie = await cookieFor(owner);
    const blobs = await t.db.contentBlob.count();
    const res = await postAvatar(cookie, new Uint8Array(AVATAR_MAX_BYTES + 1));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "The picture is larger than 2 MB. Choose a smaller file." });
    expect(await t.db.contentBlob.count()).toBe(blobs);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).avatar).toBeNull();
  });

  it("should answer 422 NOT_AN_IMAGE for text, an SVG and an empty body, and change nothing", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const cookie = await cookieFor(owner);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    for (const [body, type] of [[new TextEncoder().encode("hello, not a picture"), "image/png"], [svg, "image/svg+xml"], [new Uint8Array(0), "image/png"]] as const) {
      const res = await postAvatar(cookie, body, type);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: "UNPROCESSABLE", reason: "NOT_AN_IMAGE", issues: [{ path: "avatar" }] });
    }
    expect((await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).avatar).toBeNull();
    expect(await t.db.accountEvent.count({ where: { userId: owner.id, action: "user.avatar_changed" } })).toBe(0);
  });

  it("should answer 401 without a session and 403 from another site", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    expect((await postAvatar(null, await photo())).status).toBe(401);
    const cookie = await cookieFor(owner);
    const res = await avatarRoutePOST(new Request("http://localhost/account/avatar", {
      method: "POST", headers: { cookie, "content-type": "image/jpeg", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, body: await photo(),
    }));
    expect(res.status).toBe(403);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).avatar).toBeNull();
  });

  it("should answer 404 for an unknown or malformed blob id", async () => {
    expect((await getBlob("0".repeat(64))).status).toBe(404);
    expect((await getBlob("not-a-hash")).status).toBe(404);
    expect((await getBlob("../../etc/passwd")).status).toBe(404);
  });

  it("should remove the avatar (audited, once), leave its blobs served, and show no avatar on account.me", async () => {
    const { owner } = await createTenantWithOwner(t.db);
    const set = await setOwnAvatar(t.db, selfOf(owner.id, 0), await photo(64, 64));
    const { caller: c } = await signIn(t.db, owner);
    expect(await c.account.removeAvatar()).toEqual({ removed: true });
    expect(await c.account.removeAvatar()).toEqual({ removed: false });
    expect((await c.account.me()).avatar).toBeNull();
    expect((await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).avatar).toBeNull();
    expect(await t.db.accountEvent.count({ where: { userId: owner.id, action: "user.avatar_removed" } })).toBe(1);
    expect((await getBlob(set.blobId)).status).toBe(200);
  });
});

async function caller(user: TestUser) {
  return (await signIn(t.db, user)).caller.account.me();
}
