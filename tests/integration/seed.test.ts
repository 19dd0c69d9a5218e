/** prisma/seed.ts: the demo tenant a first local start creates. */
import { describe, expect, it } from "vitest";
import { verifyCredentials } from "../../server/auth/credentials.ts";
import { isDatabaseEmpty, seedDemo } from "../../prisma/seed.ts";
import { useTestDb } from "../helpers/db.ts";
import { callerFor, signIn } from "../helpers/factories.ts";

const t = useTestDb();

describe("seedDemo", () => {
  it("should seed an empty database with a demo tenant whose owner can sign in and see it", async () => {
    expect(await isDatabaseEmpty(t.db)).toBe(true);
    const demo = await seedDemo(t.db);
    expect(await isDatabaseEmpty(t.db)).toBe(false);
    expect(demo.password.length).toBeGreaterThanOrEqual(12);

    const user = await verifyCredentials(t.db, demo.email, demo.password);
    const { caller } = await signIn(t.db, user);
    const tenants = await caller.tenants.list();
    expect(tenants.map((x) => x.slug)).toEqual([demo.tenantSlug]);
    const current = await caller.tenants.current({ tenant: demo.tenantSlug });
    expect(current.me.roles).toEqual(["owner"]);
    expect(await t.db.unit.count({ where: { tenantId: current.id } })).toBeGreaterThanOrEqual(1);
    expect(await t.db.membership.count({ where: { tenantId: current.id } })).toBeGreaterThan(1);
    // Nobody can sign in anonymously, demo or not.
    await expect(callerFor(t.db, null).tenants.current({ tenant: demo.tenantSlug })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
