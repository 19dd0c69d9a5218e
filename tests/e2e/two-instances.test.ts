/**
 * Scale-out (issue 10): two instances of the BUILT app, on different ports, against one PostgreSQL database, prove
 * that an instance keeps no state of its own. Everything is observed over HTTP (and at the SMTP sink), never through
 * the session internals:
 * - a session signed in on A is valid on B; signing out, revoking sessions, removing a member or changing a member's
 *   roles on one is enforced by the other on the very next request;
 * - rate limits are shared: hits on A and B add up to one limit;
 * - background jobs: N queued emails arrive exactly once each with both workers polling; an instance killed
 *   (SIGKILL) while its handler is stuck in SMTP loses the job to the other after JOB_LEASE_SECONDS, and the email
 *   arrives once; a job that always fails is dead-lettered after its attempts and listed by `jobs:failed`.
 * PostgreSQL only: the embedded database admits one process.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openPostgres, type DbHandle } from "../../server/db/client.ts";
import { queueEmail } from "../../server/email/queue-email.ts";
import { testDbKind } from "../helpers/db.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";
import { startAppServer, type AppServer } from "./helpers/app-server.ts";
import { runCliJson } from "./helpers/cli.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { cookiesOf, signInOverHttp, trpcMutation, trpcQuery, type HttpSession } from "./helpers/http-session.ts";
import { createE2eDatabase, type E2eDatabase } from "./helpers/postgres.ts";

const skipReason = serverSkipReason();
const onPostgres = testDbKind() === "postgres";
if (skipReason && onPostgres) console.warn(`\n!! e2e two-instance tests SKIPPED: ${skipReason}\n`);

const INVITE_LOOKUPS = 6;
const LEASE_SECONDS = 3;
const PASSWORD = "two-instances-password-1";

type Person = { email: string; password: string; membershipId: number };

let db: E2eDatabase | undefined;
let dbHandle: DbHandle | undefined;
let sink: SmtpSink;
let a: AppServer;
let b: AppServer;
let slug: string;
let owner: { email: string; password: string };
const dataDirs: string[] = [];
/** The message the sink holds without answering (the kill test), and who sent it. */
let holding: { to: string; from: string | null } | null = null;
/** Recipients the sink refuses (the dead-letter test). */
const refused = new Set<string>();

const sender = (m: ParsedMail) => m.from?.value[0]?.address ?? null;
const recipient = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address ?? null;

async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function addMember(role: string): Person {
  const email = `${role}-${crypto.randomBytes(3).toString("hex")}@two.test`;
  const r = runCliJson<{ membership: { id: number } }>(
    ["member:add", "--tenant", slug, "--email", email, "--password", PASSWORD, "--role", role],
    dbEnv(),
  );
  return { email, password: PASSWORD, membershipId: r.membership.id };
}

let secrets: { NEXTAUTH_SECRET: string; DATA_ENCRYPTION_KEY: string };
const dbEnv = () => ({ DATABASE_URL: db!.url, ...secrets, DATA_DIR: dataDirs[0]! });

async function startInstance(name: string): Promise<AppServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-two-${name}-`));
  dataDirs.push(dataDir);
  return startAppServer({
    dataDir,
    env: {
      DATABASE_URL: db!.url,
      ...secrets,
      SMTP_URL: sink.url,
      // Which instance sent a message shows in its From address.
      EMAIL_FROM: `Roster ${name} <${name}@instances.test>`,
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      JOB_POLL_MS: "200",
      RATE_LIMIT_INVITE_TOKEN_IP: `${INVITE_LOOKUPS}/600`,
    },
  });
}

const me = (base: string, s: HttpSession) => trpcQuery(base, "account.me", null, { cookie: s.cookie });
const current = (base: string, s: HttpSession) => trpcQuery(base, "tenants.current", { tenant: slug }, { cookie: s.cookie });
const listMembers = (base: string, s: HttpSession) => trpcQuery(base, "members.list", { tenant: slug }, { cookie: s.cookie });

async function signOutOverHttp(base: string, s: HttpSession): Promise<number> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers: { cookie: s.cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = [...new Set([...s.cookie.split("; "), ...cookiesOf(csrf)])].join("; ");
  const res = await fetch(`${base}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: base },
    body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
  });
  await res.text();
  return res.status;
}

describeOnlyIf(onPostgres && !skipReason)("two app instances on one PostgreSQL", () => {
  beforeAll(async () => {
    sink = await startSmtpSink({
      beforeAccept(mail) {
        const to = recipient(mail);
        if (to && refused.has(to)) throw new Error("mailbox unavailable");
        if (holding && to === holding.to && holding.from === null) {
          holding.from = sender(mail);
          return new Promise<void>(() => {}); // never answers: the sender is stuck mid-delivery
        }
      },
    });
    db = await createE2eDatabase();
    secrets = { NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"), DATA_ENCRYPTION_KEY: crypto.randomBytes(32).toString("hex") };
    dataDirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "roster-two-cli-")));
    owner = { email: `owner-${crypto.randomBytes(3).toString("hex")}@two.test`, password: PASSWORD };
    const created = runCliJson<{ tenant: { slug: string } }>(
      ["tenant:create", "--name", "Two Instances", "--owner-email", owner.email, "--owner-password", owner.password],
      dbEnv(),
    );
    slug = created.tenant.slug;
    // Both at once, as a deployment rolls out: neither may trip over the other's boot (migrations are applied).
    [a, b] = await Promise.all([startInstance("a"), startInstance("b")]);
    dbHandle = openPostgres(db.url, { max: 2 });
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await dbHandle?.close();
    await sink?.stop();
    await db?.drop();
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("should share rate limits: lookups on A and B add up to one limit, then both refuse", async () => {
    const ownerSession = await signInOverHttp(a.baseUrl, owner);
    const answers = [];
    for (let i = 0; i < INVITE_LOOKUPS; i++) {
      const base = i % 2 === 0 ? a.baseUrl : b.baseUrl;
      answers.push(await trpcQuery(base, "invitations.preview", { rawToken: crypto.randomBytes(16).toString("hex") }, { cookie: ownerSession.cookie }));
    }
    expect(answers.map((r) => r.status)).toEqual(Array(INVITE_LOOKUPS).fill(200));
    // Each instance saw only half the limit: per-process counters would still let both through.
    for (const base of [a.baseUrl, b.baseUrl]) {
      const refusedLookup = await trpcQuery(base, "invitations.preview", { rawToken: crypto.randomBytes(16).toString("hex") }, { cookie: ownerSession.cookie });
      expect(refusedLookup.status).toBe(429);
      expect(refusedLookup.error?.code).toBe("TOO_MANY_REQUESTS");
    }
  });

  it("should accept a session signed in on A on B, and refuse it on B right after signing out on A", async () => {
    const worker = addMember("worker");
    const s = await signInOverHttp(a.baseUrl, worker);
    const onB = await me(b.baseUrl, s);
    expect(onB.status).toBe(200);
    expect(onB.data).toMatchObject({ email: worker.email });
    expect((await current(b.baseUrl, s)).status).toBe(200);

    expect(await signOutOverHttp(a.baseUrl, s)).toBeLessThan(400);
    const after = await me(b.baseUrl, s);
    expect(after.status).toBe(401);
    expect(after.error?.code).toBe("UNAUTHORIZED");
  });

  it("should refuse on B a session revoked on A (sign out everywhere else)", async () => {
    const person = addMember("worker");
    const onA = await signInOverHttp(a.baseUrl, person);
    const onB = await signInOverHttp(b.baseUrl, person);
    expect((await me(b.baseUrl, onB)).status).toBe(200);
    const revoked = await trpcMutation(a.baseUrl, "account.revokeOtherSessions", null, { cookie: onA.cookie });
    expect(revoked.status).toBe(200);
    expect(revoked.data).toMatchObject({ revoked: 1 });
    expect((await me(b.baseUrl, onB)).error?.code).toBe("UNAUTHORIZED");
    // The session that did it stays valid everywhere.
    expect((await me(b.baseUrl, onA)).status).toBe(200);
  });

  it("should enforce on B a role change and a removal made on A, on the next request", async () => {
    const manager = addMember("manager");
    const ownerSession = await signInOverHttp(a.baseUrl, owner);
    const s = await signInOverHttp(b.baseUrl, manager);
    // B has served this member (anything B might keep in memory is warm).
    expect((await listMembers(b.baseUrl, s)).status).toBe(200);
    expect((await listMembers(b.baseUrl, s)).status).toBe(200);

    const demoted = await trpcMutation(a.baseUrl, "members.setRoles", { tenant: slug, id: manager.membershipId, roles: ["worker"], hasFullAccess: false }, { cookie: ownerSession.cookie });
    expect(demoted.status).toBe(200);
    const denied = await listMembers(b.baseUrl, s);
    expect(denied.status).toBe(403);
    expect(denied.error?.code).toBe("FORBIDDEN");
    expect((await current(b.baseUrl, s)).status).toBe(200);

    const removed = await trpcMutation(a.baseUrl, "members.remove", { tenant: slug, id: manager.membershipId }, { cookie: ownerSession.cookie });
    expect(removed.status).toBe(200);
    const gone = await current(b.baseUrl, s);
    expect(gone.status).toBe(404);
    expect(gone.error?.code).toBe("NOT_FOUND");
  });

  it("should deliver N queued emails exactly once each while both instances' workers poll", async () => {
    const N = 40;
    const run = crypto.randomBytes(3).toString("hex");
    const tos = Array.from({ length: N }, (_, i) => `bulk-${run}-${i}@two.test`);
    const queued = await dbHandle!.prisma.$transaction(async (tx) => {
      const out = [];
      for (const to of tos) out.push(await queueEmail(tx, { to, subject: `Bulk ${run}`, text: "t", html: "<p>t</p>", kind: "test" }));
      return out;
    });
    const mine = () => sink.inbox.filter((m) => m.subject === `Bulk ${run}`);
    await waitUntil(`${N} emails at the sink`, async () => mine().length >= N);
    // Two more poll rounds of both workers: nothing arrives twice.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mine().map(recipient).sort()).toEqual([...tos].sort());
    const senders = new Map<string, number>();
    for (const m of mine()) senders.set(sender(m) ?? "?", (senders.get(sender(m) ?? "?") ?? 0) + 1);
    console.log(`two-instances: ${N} emails sent by ${JSON.stringify(Object.fromEntries(senders))}`);
    expect([...senders.keys()].every((s) => s === "a@instances.test" || s === "b@instances.test")).toBe(true);

    const deliveries = await dbHandle!.prisma.emailDelivery.findMany({ where: { id: { in: queued.map((q) => q.deliveryId) } } });
    expect(deliveries.every((d) => d.status === "SENT" && d.attempts === 1)).toBe(true);
    const jobs = await dbHandle!.prisma.job.findMany({ where: { id: { in: queued.map((q) => q.jobId) } } });
    expect(jobs.every((j) => j.doneAt !== null && j.attempts === 1)).toBe(true);
  });

  it("should retry on the other instance, after the lease, a job whose instance was killed mid-delivery", async () => {
    const to = `stall-${crypto.randomBytes(3).toString("hex")}@two.test`;
    holding = { to, from: null };
    const { jobId, deliveryId } = await queueEmail(dbHandle!.prisma, { to, subject: "Held", text: "t", html: "<p>t</p>", kind: "test" });
    const from = await waitUntil("the sink to hold the message", async () => holding!.from);
    const [victim, survivor] = from === "a@instances.test" ? [a, b] : [b, a];
    const killedAt = Date.now();
    await victim.kill();
    const job = await dbHandle!.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ attempts: 1, doneAt: null, failedAt: null });
    expect(job.lockedUntil).not.toBeNull();

    const arrived = await waitUntil("the retried message", async () => sink.inbox.find((m) => recipient(m) === to), 30_000);
    expect(sender(arrived)).toBe(survivor === a ? "a@instances.test" : "b@instances.test");
    // Not before the dead instance's lease ran out (it renewed it up to its death).
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 * 0.5);
    await waitUntil("the job to be done", async () => (await dbHandle!.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).doneAt);
    expect(await dbHandle!.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ attempts: 2, failedAt: null });
    expect(await dbHandle!.prisma.emailDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "SENT", attempts: 2 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sink.inbox.filter((m) => recipient(m) === to)).toHaveLength(1);
    // The survivor still serves.
    expect((await fetch(`${survivor.baseUrl}/api/health`)).status).toBe(200);
  });

  it("should dead-letter a job that always fails after its attempts, visible to an operator in jobs:failed", async () => {
    const to = `doomed-${crypto.randomBytes(3).toString("hex")}@two.test`;
    refused.add(to);
    const prisma = dbHandle!.prisma;
    // Two attempts instead of five; queued for later so no worker claims it before the row says so.
    const { jobId, deliveryId } = await queueEmail(prisma, { to, subject: "Doomed", text: "t", html: "<p>t</p>", kind: "test" }, { runAt: new Date(Date.now() + 3_600_000) });
    await prisma.job.update({ where: { id: jobId }, data: { maxAttempts: 2, runAt: new Date() } });
    await waitUntil("the first failed attempt", async () => {
      const j = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      return j.attempts === 1 && j.lockedUntil === null && j.lastError !== null;
    });
    const delivery = await prisma.emailDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(delivery.nextAttemptAt).not.toBeNull();
    // Skip the 30 s backoff.
    await prisma.job.update({ where: { id: jobId }, data: { runAt: new Date() } });
    const dead = await waitUntil("the job to be dead-lettered", async () => {
      const j = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      return j.failedAt ? j : null;
    });
    expect(dead).toMatchObject({ attempts: 2, doneAt: null, lockedUntil: null });
    expect(dead.lastError).toContain("mailbox unavailable");
    expect(await prisma.emailDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "FAILED", attempts: 2, nextAttemptAt: null });

    const listed = runCliJson<{ jobs: { id: string; type: string; attempts: number; maxAttempts: number; lastError: string }[] }>(["jobs:failed"], dbEnv());
    const entry = listed.jobs.find((j) => j.id === jobId.toString());
    expect(entry).toMatchObject({ type: "sendEmail", attempts: 2, maxAttempts: 2 });
    expect(entry!.lastError).toContain("mailbox unavailable");
    expect(JSON.stringify(listed)).not.toContain(to); // no payload: it may hold single-use links
    expect(sink.inbox.filter((m) => recipient(m) === to)).toHaveLength(0);
  });
});
