/**
 * Account self-service (issue 11, item 1): the signed-in person edits their own name, display name and language
 * (account.updateProfile), audited on the account trail; and their avatar, uploaded, re-encoded, stored as
 * content-addressed blobs and served at /avatars/<blobId>.
 */
import { describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, callerFor, createTenantWithOwner, signIn } from "../helpers/factories.ts";

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
