/**
 * Issue 9, found when the running app was attacked: `%` and `_` in member search acted as LIKE wildcards (`_` listed
 * everyone). Search text is matched literally, backslash included, on PGlite and PostgreSQL alike.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "../../server/services/audit/list-audit-events.ts";
import { listMembers } from "../../server/services/members/list-members.ts";
import type { Actor } from "../../server/authz/actor.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, type TestTenant } from "../helpers/factories.ts";
import { actorOf, addNamedMember } from "../helpers/members-factories.ts";

const t = useTestDb();
let tenant: TestTenant;
let owner: Actor;
beforeAll(async () => {
  const w = await createTenantWithOwner(t.db);
  tenant = w.tenant;
  owner = await actorOf(t.db, tenant, w.owner.id);
  await addNamedMember(t.db, tenant, { firstName: "Under_score", lastName: "Person" });
  await addNamedMember(t.db, tenant, { firstName: "Hundred", lastName: "100%" });
  await addNamedMember(t.db, tenant, { firstName: "Back\\slash", lastName: "Person" });
  await addNamedMember(t.db, tenant, { firstName: "Plain", lastName: "Person" });
});

const firstNames = async (search: string) =>
  (await listMembers(t.db, owner, { search, pageSize: 100 })).items.map((m) => m.firstName).sort();

describe("member search matches its text literally", () => {
  it("should treat _ as an underscore, not as any one character", async () => {
    expect(await firstNames("_")).toEqual(["Under_score"]);
    expect(await firstNames("r_s")).toEqual(["Under_score"]);
  });

  it("should treat % as a percent sign, not as anything", async () => {
    expect(await firstNames("%")).toEqual(["Hundred"]);
    expect(await firstNames("Pl%n")).toEqual([]);
  });

  it("should treat a backslash as itself (it is LIKE's escape character)", async () => {
    expect(await firstNames("\\")).toEqual(["Back\\slash"]);
    expect(await firstNames("k\\s")).toEqual(["Back\\slash"]);
    expect(await firstNames("\\_")).toEqual([]);
  });

  it("should still find ordinary words case-insensitively", async () => {
    expect(await firstNames("person")).toEqual(["Back\\slash", "Plain", "Under_score"]);
  });
});

describe("audit action filter matches its prefix literally", () => {
  it("should treat _ in the action prefix as an underscore", async () => {
    const all = await listAuditEvents(t.db, owner, { limit: 100 });
    expect(all.items.length).toBeGreaterThan(0);
    expect((await listAuditEvents(t.db, owner, { action: "_", limit: 100 })).items).toEqual([]);
    expect((await listAuditEvents(t.db, owner, { action: "m_mber.", limit: 100 })).items).toEqual([]);
  });
});
