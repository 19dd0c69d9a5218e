/**
 * Issue 9, faults: PostgreSQL connections killed in the middle of a bulk copy to many units leave all or nothing:
 * either every target unit got the access (and the one audit row) or none did. The kill runs on PostgreSQL only (PGlite
 * runs in the process and has no connections to kill); a copy refused part-way writes nothing on both. The 503
 * answers during outages are proven in outage.test.ts.
 */
import crypto from "node:crypto";
import pg from "pg";
import { beforeAll, expect, it } from "vitest";
import type { Actor } from "../../server/authz/actor.ts";
import { AppErrorCode, isAppError } from "../../server/errors.ts";
import { openPostgres, type DbHandle } from "../../server/db/client.ts";
import { copyToUnits } from "../../server/services/access/copy-to-units.ts";
import { testDatabaseUrl, useTestDb } from "../helpers/db.ts";
import { addMemberWithRole, createTenantWithOwner, createUnitIn, type TestTenant } from "../helpers/factories.ts";
import { actorOf } from "../helpers/members-factories.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";

const t = useTestDb();
const TARGETS = 50;
/** How long each round lets the copy run before the kill: from waiting for its first lock to (likely) after its commit. */
const DELAYS_MS = [0, 10, 25, 50, 100, 200, 400, 1500];

let tenant: TestTenant;
let owner: Actor;
let source: { id: number };
let targets: number[];
beforeAll(async () => {
  const w = await createTenantWithOwner(t.db);
  tenant = w.tenant;
  owner = await actorOf(t.db, tenant, w.owner.id);
  source = await createUnitIn(t.db, tenant, { name: "Source" });
  targets = [];
  for (let i = 0; i < TARGETS; i++) targets.push((await createUnitIn(t.db, tenant, { name: `Target ${i}` })).id);
});

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

it("should write no target when a bulk copy is refused at its last target (all or nothing on both databases)", async () => {
  // An administrator who reaches every target but the last one: the copy is refused there, after planning the rest.
  const admin = await addMemberWithRole(t.db, tenant, { role: "administrator", unitIds: [source.id, ...targets.slice(0, -1)] });
  const m = await addMemberWithRole(t.db, tenant, { role: "worker", unitIds: [source.id] });
  const err = await copyToUnits(t.db, await actorOf(t.db, tenant, admin.user.id), {
    unitId: source.id, userId: m.user.id, links: targets.map((unitId) => ({ unitId })),
  }).catch((e: unknown) => e);
  expect(isAppError(err) && err.code).toBe(AppErrorCode.FORBIDDEN);
  expect(await t.db.unitAccess.count({ where: { membershipId: m.membership.id, unitId: { in: targets } } })).toBe(0);
  expect(await t.db.auditEvent.count({ where: { action: "member.copied_to_units", targetId: String(m.membership.id) } })).toBe(0);
});

describeOnlyIf(t.kind === "postgres")("PostgreSQL connections killed during a bulk copy", () => {
  it("should leave every target unit with access or none, whenever the connection dies", async () => {
    const app = `roster-copy-kill-${crypto.randomBytes(4).toString("hex")}`;
    const url = new URL(testDatabaseUrl());
    url.searchParams.set("application_name", app);
    const victim: DbHandle = openPostgres(url.toString(), { schema: t.handle.schema!, max: 2 });
    const killer = new pg.Client({ connectionString: testDatabaseUrl() });
    await killer.connect();
    let interrupted = 0;
    try {
      for (const [round, delay] of DELAYS_MS.entries()) {
        const m = await addMemberWithRole(t.db, tenant, { role: "worker", unitIds: [source.id] });
        // Hold the member's row locked, so the copy's transaction is certainly open (waiting for the lock it takes
        // first) when the round starts: a copy of 50 units takes a few milliseconds, fast enough to slip between
        // two looks at pg_stat_activity.
        const blocker = new pg.Client({ connectionString: testDatabaseUrl() });
        await blocker.connect();
        await blocker.query("BEGIN");
        await blocker.query(`SELECT 1 FROM "${t.handle.schema}"."Membership" WHERE "tenantId" = $1 AND "id" = $2 FOR UPDATE`, [tenant.id, m.membership.id]);
        const copy = copyToUnits(victim.prisma, owner, { unitId: source.id, userId: m.user.id, links: targets.map((unitId) => ({ unitId })) })
          .then(() => "done" as const, (e: unknown) => e);
        for (let i = 0; i < 400; i++) {
          const waiting = await killer.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [app]);
          if (waiting.rowCount) break;
          await sleep(5);
        }
        // Round 0 kills the copy while it waits for the lock; the others let it go and kill it a varying while later.
        if (round > 0) await blocker.query("COMMIT");
        await sleep(delay);
        await killer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [app]);
        await blocker.end();
        const outcome = await copy;
        if (outcome !== "done") interrupted++;

        const granted = await t.db.unitAccess.count({ where: { membershipId: m.membership.id, unitId: { in: targets } } });
        const audited = await t.db.auditEvent.count({ where: { action: "member.copied_to_units", targetType: "membership", targetId: String(m.membership.id) } });
        expect([0, TARGETS], `round ${round}: ${granted} of ${TARGETS} units granted`).toContain(granted);
        expect(audited).toBe(granted === TARGETS ? 1 : 0);
        if (outcome === "done") expect(granted).toBe(TARGETS);
      }
      // The kills must have hit a running copy at least once, or this proved nothing.
      expect(interrupted).toBeGreaterThan(0);
    } finally {
      await killer.end();
      await victim.prisma.$disconnect().catch(() => {});
      await victim.pool!.end().catch(() => {});
    }
  }, 120_000);
});
