/**
 * Secrets sweep (issue 9, "Guarantees: Secrets"): every bearer secret the app issues (sessions, partner, personal
 * and user API tokens, invitation links, sign-in challenges, recovery codes and the TOTP seed; the inventory of
 * issuers is read from the source: every file under server/ that calls newSecret must have an issuer here) is at
 * least 128 bits from the CSPRNG, and after issuing them all, no column of any table holds a raw value (every row of
 * every table is dumped as JSON and searched). Secrets meant for one use work once.
 */
import fs from "node:fs";
import path from "node:path";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPOST } from "../../app/api/v1/auth/route.ts";
import { resolveSession } from "../../server/auth/sessions.ts";
import { newSecret, SECRET_PREFIX } from "../../server/auth/secrets.ts";
import { CHALLENGE_PREFIX, consumeChallenge, findChallenge, issueChallenge } from "../../server/auth/two-factor.ts";
import { createSmtpMailer } from "../../server/email/transport.ts";
import { runDueJobs } from "../../server/jobs/queue.ts";
import { requestPasswordReset } from "../../server/services/account/request-password-reset.ts";
import { requestVerificationEmail } from "../../server/services/account/request-verification-email.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { createInvitation } from "../../server/services/invitations/create-invitation.ts";
import { useTestDb } from "../helpers/db.ts";
import {
  addMemberWithRole, createPartnerToken, createTenantWithOwner, PASSWORD, SESSION_POLICY, signIn, systemActor, TEST_META, uniqueEmail,
} from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { createAccount, inviteWithLink } from "../helpers/invitation-factories.ts";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";
import { outcome, ROOT, sourceFiles } from "../helpers/sweep-inventory.ts";

const CASE_FILE = "tests/integration/sweep-secrets.test.ts";
const t = useTestDb();

type Issued = { kind: string; raw: string; prefix?: string };
/** The files that mint bearer secrets, and the kinds this file issues through them. */
export const ISSUERS: Record<string, string[]> = {
  "server/auth/sessions.ts": ["session"],
  "server/services/tokens/create-api-token.ts": ["partner token", "personal token"],
  "server/services/auth/issue-user-token.ts": ["user token"],
  "server/services/invitations/invitation-record.ts": ["invitation link"],
  "server/auth/two-factor.ts": ["sign-in challenge"],
  "server/auth/account-tokens.ts": ["password reset link", "email verification link"],
};

const issued: Issued[] = [];
let world: Awaited<ReturnType<typeof createTenantWithOwner>>;
let invite: { token: string };
let invitee: { id: number; email: string };
let challenge: string;
let recoveryCodes: string[] = [];
let totpSeed = "";

beforeAll(async () => {
  world = await createTenantWithOwner(t.db);
  const owner = world.owner;
  const signed = await signIn(t.db, owner);
  issued.push({ kind: "session", raw: signed.secret, prefix: SECRET_PREFIX.session });

  const partner = await createPartnerToken(t.db, world.tenant);
  issued.push({ kind: "partner token", raw: partner.token, prefix: SECRET_PREFIX.partner });
  const personal = await signed.caller.tokens.create({ tenant: world.tenant.slug, kind: "personal", name: "secrets sweep" });
  issued.push({ kind: "personal token", raw: personal.token, prefix: SECRET_PREFIX.personal });
  const res = await callRoute(authPOST as unknown as RouteHandler, {
    path: "/api/v1/auth", authorization: `Bearer ${partner.token}`, json: { login: owner.email, password: PASSWORD },
  });
  expect(res.status).toBe(201);
  issued.push({ kind: "user token", raw: (res.body as { data: { user_token: string } }).data.user_token, prefix: SECRET_PREFIX.user });

  invitee = await createAccount(t.db);
  invite = await inviteWithLink(t.db, systemActor(world.tenant), { email: invitee.email });
  issued.push({ kind: "invitation link", raw: invite.token, prefix: SECRET_PREFIX.invitation });

  // Two-factor on the owner's account: the seed (read back, so encrypted) and the recovery codes (hashed).
  const started = await signed.caller.account.startTwoFactor();
  totpSeed = started.secret.replace(/\s+/g, "");
  recoveryCodes = (await signed.caller.account.enableTwoFactor({ code: await generate({ secret: totpSeed }) })).recoveryCodes;
  challenge = await issueChallenge(t.db, owner.id);
  issued.push({ kind: "sign-in challenge", raw: challenge, prefix: CHALLENGE_PREFIX });

  // Links that exist only in an email: a password reset, an email verification and an emailed invitation, delivered
  // over real SMTP; the raw tokens are read from the messages, as their recipients would.
  sink = await startSmtpSink();
  const resetUser = await addMemberWithRole(t.db, world.tenant);
  await requestPasswordReset(t.db, { email: resetUser.user.email });
  const unverified = await t.db.user.create({ data: { email: uniqueEmail("unverified") }, select: { email: true } });
  await requestVerificationEmail(t.db, { email: unverified.email });
  await createInvitation(t.db, systemActor(world.tenant), { email: uniqueEmail("emailed"), sendEmail: true });
  await runDueJobs(t.db, { deps: { mailer: createSmtpMailer({ url: sink.url, from: "Roster <no-reply@roster.test>" }) } });
  const mails = await sink.waitFor(3);
  const text = mails.map((m) => `${m.text ?? ""}\n${typeof m.html === "string" ? m.html : ""}`).join("\n");
  const found = (re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[0]))];
  for (const raw of found(/rs_pr_[A-Za-z0-9_-]{43}/g)) issued.push({ kind: "password reset link", raw, prefix: SECRET_PREFIX.resetPassword });
  for (const raw of found(/rs_ve_[A-Za-z0-9_-]{43}/g)) issued.push({ kind: "email verification link", raw, prefix: SECRET_PREFIX.verifyEmail });
  for (const raw of found(/rs_inv_[A-Za-z0-9_-]{43}/g)) issued.push({ kind: "emailed invitation link", raw, prefix: SECRET_PREFIX.invitation });
}, 120_000);
let sink: SmtpSink | undefined;
afterAll(() => sink?.stop());

/** Every row of every table of the app's schema, as JSON text (table name first). */
async function dumpEveryTable(): Promise<string[]> {
  const tables = await t.db.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  const out: string[] = [];
  for (const { table_name } of tables) {
    // Identifiers come from the catalog itself and are checked; the app's own source stays free of this (see sweep-input).
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table_name)) throw new Error(`odd table name ${table_name}`);
    const rows = await t.db.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(x)::text AS j FROM "${table_name}" x`);
    for (const r of rows) out.push(`${table_name}: ${r.j}`);
  }
  return out;
}

describe("secrets", () => {
  it("should issue a case for every file under server/ that mints a secret with newSecret", () => {
    const minting = sourceFiles(["server"], [".ts"], ["server/db/generated", "server/auth/secrets.ts"])
      .filter((f) => /\bnewSecret\s*\(/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    const missing = minting.filter((f) => !(f in ISSUERS)).map((f) => `${f} mints secrets with newSecret but has no issuer: add it to ISSUERS in ${CASE_FILE}`);
    expect(missing).toEqual([]);
    for (const [file, kinds] of Object.entries(ISSUERS)) {
      expect(minting, `${file} no longer mints secrets: drop it from ISSUERS`).toContain(file);
      for (const k of kinds) expect(issued.map((i) => i.kind), `no ${k} was issued`).toContain(k);
    }
  });

  it("should draw every secret from the CSPRNG: crypto.randomBytes in secrets.ts, no Math.random anywhere in server/", () => {
    const src = fs.readFileSync(path.join(ROOT, "server/auth/secrets.ts"), "utf8");
    expect(src).toMatch(/crypto\.randomBytes\(\s*(\d+)\s*\)/);
    expect(Number(/crypto\.randomBytes\(\s*(\d+)\s*\)/.exec(src)![1])).toBeGreaterThanOrEqual(16);
    const offenders = sourceFiles(["server", "app"], [".ts", ".tsx"], ["server/db/generated"]).filter((f) => /Math\.random\s*\(/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("should give every issued secret at least 128 random bits after its prefix, all distinct", () => {
    expect(issued.length).toBeGreaterThanOrEqual(6);
    for (const s of issued) {
      expect(s.raw.startsWith(s.prefix!), `${s.kind} starts with ${s.prefix}`).toBe(true);
      const random = s.raw.slice(s.prefix!.length);
      expect(random, `${s.kind} is base64url`).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(random, "base64url").length * 8, `${s.kind} carries >= 128 bits`).toBeGreaterThanOrEqual(128);
    }
    const many = Array.from({ length: 2000 }, () => newSecret("rs_x_"));
    expect(new Set(many).size).toBe(many.length);
    expect(new Set([...issued.map((s) => s.raw)]).size).toBe(issued.length);
    for (const code of recoveryCodes) expect(code.replace(/-/g, "").length * 5, "recovery codes carry 80 bits").toBeGreaterThanOrEqual(80);
  });

  it("should store no raw secret in any column of any table, emailed links included once sent (hashes only; the TOTP seed only encrypted)", async () => {
    expect(issued.map((i) => i.kind)).toEqual(expect.arrayContaining(["password reset link", "email verification link", "emailed invitation link"]));
    const dump = await dumpEveryTable();
    expect(dump.length).toBeGreaterThan(20);
    const needles = [
      ...issued.flatMap((s) => [{ kind: s.kind, value: s.raw }, { kind: `${s.kind} (random part)`, value: s.raw.slice(s.prefix!.length) }]),
      ...recoveryCodes.flatMap((c) => [{ kind: "recovery code", value: c }, { kind: "recovery code (plain)", value: c.replace(/-/g, "") }]),
      { kind: "TOTP seed", value: totpSeed },
    ];
    const hits: string[] = [];
    for (const n of needles) for (const row of dump) if (row.includes(n.value)) hits.push(`${n.kind} in ${row.slice(0, 120)}`);
    expect(hits).toEqual([]);
  });

  it("should let single-use secrets work once: an invitation link, a sign-in challenge, a recovery code", async () => {
    await acceptInvitation(t.db, { userId: invitee.id, rawToken: invite.token }, TEST_META);
    const again = await outcome(acceptInvitation(t.db, { userId: invitee.id, rawToken: invite.token }, TEST_META));
    expect(again).toMatchObject({ ok: false });

    const found = await findChallenge(t.db, challenge);
    expect(await consumeChallenge(t.db, found.id)).toBe(true);
    expect(await consumeChallenge(t.db, found.id)).toBe(false);
    expect(await outcome(findChallenge(t.db, challenge))).toMatchObject({ ok: false, code: "UNAUTHORIZED" });

    const { verifySecondFactor } = await import("../../server/auth/two-factor.ts");
    await verifySecondFactor(t.db, world.owner.id, recoveryCodes[0]!);
    expect(await outcome(verifySecondFactor(t.db, world.owner.id, recoveryCodes[0]!))).toMatchObject({ ok: false });
  });

  it("should end a revoked session for good", async () => {
    const s = await signIn(t.db, world.owner);
    expect(await resolveSession(t.db, s.secret, SESSION_POLICY)).not.toBeNull();
    await t.db.authSession.update({ where: { id: s.sessionId }, data: { revokedAt: new Date() } });
    expect(await resolveSession(t.db, s.secret, SESSION_POLICY)).toBeNull();
  });
});
