/**
 * members.list by cursor (keyset pagination): walking a list page by page with `nextCursor`, and back with
 * `prevCursor`, visits exactly the rows the same list has by offset, in the same order, for every sort and direction,
 * with people who have no name, no first name or no sign-in yet (NULLs sort last either way) and ties on every key but
 * the id. A cursor of another sort, or one the list did not give out, is refused with 422 and changes nothing.
 */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, signIn, uniqueId, type Caller } from "../helpers/factories.ts";

const t = useTestDb();
const SORTS = ["name", "email", "lastLogin", "createdAt"] as const;

describe("members.list by cursor", () => {
  let caller: Caller;
  let slug: string;

  beforeAll(async () => {
    const created = await createTenantWithOwner(t.db);
    slug = created.tenant.slug;
    caller = (await signIn(t.db, created.owner)).caller;
    const tag = uniqueId();
    // 47 people: a few last and first names shared by many (ties), some missing, half never signed in, and sign-ins
    // and join times that collide, so every key's NULLs and ties are crossed by some page boundary.
    await t.db.$executeRaw`
      WITH u AS (
        INSERT INTO "User" ("email", "firstName", "lastName", "lastLoginAt", "emailVerifiedAt", "updatedAt")
        SELECT 'cur-' || ${tag} || '-' || lpad(((i * 17) % 47)::text, 2, '0') || '@example.test',
               CASE WHEN i % 6 = 0 THEN NULL ELSE (ARRAY['Ann', 'Bob', 'Cy'])[1 + i % 3] END,
               CASE WHEN i % 5 = 0 THEN NULL ELSE (ARRAY['Lee', 'Ng', 'Oz', 'Lee'])[1 + i % 4] END,
               CASE WHEN i % 2 = 0 THEN NULL ELSE timestamp '2026-01-01' + (i % 4) * interval '1 hour' END, now(), now()
          FROM generate_series(1, 47) i
        RETURNING id
      )
      INSERT INTO "Membership" ("tenantId", "userId", "createdAt", "updatedAt")
      SELECT ${created.tenant.id}, u.id, timestamp '2026-02-01' + (u.id % 3) * interval '1 day', now() FROM u`;
  });

  const ids = (page: { items: { id: number }[] }) => page.items.map((m) => m.id);

  it("should walk every sort in both directions forward and back through exactly the rows the offset pages show", async () => {
    for (const sort of SORTS) {
      for (const direction of ["asc", "desc"] as const) {
        const all = ids(await caller.members.list({ tenant: slug, sort, direction, pageSize: 100 }));
        expect(all).toHaveLength(48); // the 47 and the owner
        const forward: number[] = [];
        let page = await caller.members.list({ tenant: slug, sort, direction, pageSize: 7 });
        expect(page.prevCursor).toBeNull();
        forward.push(...ids(page));
        const pages = [page];
        while (page.nextCursor) {
          page = await caller.members.list({ tenant: slug, sort, direction, pageSize: 7, page: page.page + 1, cursor: page.nextCursor });
          forward.push(...ids(page));
          pages.push(page);
        }
        expect(forward, `${sort} ${direction} forward`).toEqual(all);
        expect(pages).toHaveLength(7);

        // Back from the last page: each prevCursor gives the page before, until the first, which has none.
        const backward: number[][] = [ids(page)];
        while (page.prevCursor) {
          page = await caller.members.list({ tenant: slug, sort, direction, pageSize: 7, page: page.page - 1, cursor: page.prevCursor });
          backward.unshift(ids(page));
        }
        expect(backward.flat(), `${sort} ${direction} backward`).toEqual(all);
        expect(backward.map((p) => p.length)).toEqual(pages.map((p) => p.items.length));
      }
    }
  });

  it("should keep going from a cursor whose row was removed meanwhile", async () => {
    const first = await caller.members.list({ tenant: slug, sort: "email", pageSize: 5 });
    const expected = await caller.members.list({ tenant: slug, sort: "email", pageSize: 5, page: 2 });
    const last = first.items.at(-1)!;
    await t.db.membership.delete({ where: { tenantId_id: { tenantId: last.tenantId, id: last.id } } });
    const next = await caller.members.list({ tenant: slug, sort: "email", pageSize: 5, page: 2, cursor: first.nextCursor! });
    expect(ids(next)).toEqual(ids(expected));
  });

  it("should refuse a cursor of another sort or direction, or one it did not give out, with 422", async () => {
    const byName = await caller.members.list({ tenant: slug, sort: "name", pageSize: 5 });
    const refused = async (input: Parameters<Caller["members"]["list"]>[0]) => {
      const err = await caller.members.list(input).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect(err).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("Invalid cursor") });
    };
    await refused({ tenant: slug, sort: "email", pageSize: 5, cursor: byName.nextCursor! });
    await refused({ tenant: slug, sort: "name", direction: "desc", pageSize: 5, cursor: byName.nextCursor! });
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const cursor of [
      "not-a-cursor", forged([1, 2]), forged({ s: "name", d: "asc", w: "after", k: [1, 2, 3, 4] }),
      forged({ s: "name", d: "asc", w: "sideways", k: [null, null, "a", 1] }), forged({ s: "name", d: "asc", w: "after", k: [null, null, null, 1] }),
      forged({ s: "createdAt", d: "asc", w: "after", k: ["yesterday", 1] }), forged({ s: "email", d: "asc", w: "after", k: ["a", -1] }),
    ]) {
      const sort = cursor.length > 20 ? (JSON.parse(Buffer.from(cursor, "base64url").toString()).s ?? "name") : "name";
      await refused({ tenant: slug, sort, pageSize: 5, cursor });
    }
  });
});
