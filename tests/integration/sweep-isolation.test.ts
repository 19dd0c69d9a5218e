/**
 * Tenant isolation sweep (issue 9, "Guarantees"): every tRPC procedure and every REST route under app/api/v1, read
 * from the code, is called as tenant A's owner (or with A's tokens) with tenant B's ids in the path, body, query,
 * cursors, filters and batch items. Each answer is NOT_FOUND / 404 exactly like a missing id (same status, same
 * message once ids and emails are blanked), and neither tenant changed (B's rows, audit events and members' users
 * are compared before and after; A's too when the call was refused). Lists and lookups that answer succeed without
 * a trace of B (every row of B carries the marker MARK_B). A procedure or route with no case fails the suite.
 */
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { newSecret, SECRET_PREFIX } from "../../server/auth/secrets.ts";
import { useTestDb } from "../helpers/db.ts";
import { PASSWORD, signIn, uniqueEmail } from "../helpers/factories.ts";
import {
  callProcedure, callRest, missingCases, normalise, outcome, restMessage, restRoutes, staleCases, trpcProcedures, type RestCall, type RestRouteInfo,
} from "../helpers/sweep-inventory.ts";
import { fingerprint, MARK_B, sweepWorld, type SweepWorld } from "../helpers/sweep-world.ts";

const CASE_FILE = "tests/integration/sweep-isolation.test.ts";
const t = useTestDb();
let w: SweepWorld;
beforeAll(async () => {
  w = await sweepWorld(t.db);
}, 120_000);

/** The other tenant's ids (B), or ids that exist nowhere (NONE): every variant runs with both and must answer alike. */
type Ids = {
  tenantSlug: string; unit: number; unit2: number; userId: number; membershipId: number; memberEmail: string; emails: string[];
  invitationId: number; inviteeEmail: string; inviteToken: string; requestId: number; requesterEmail: string; tokenId: number;
  sessionId: number; roleSlug: string; rightSlug: string; eventId: string;
};
const foreign = (): Ids => {
  const b = w.b;
  return {
    tenantSlug: b.tenant.slug, unit: b.units.u1.id, unit2: b.units.u2.id, userId: b.victim.user.id, membershipId: b.victim.membershipId,
    memberEmail: b.victim.user.email, emails: [...Object.values(b.people).map((p) => p.user.email), b.victim.user.email],
    invitationId: b.invitation.id, inviteeEmail: b.invitation.email, inviteToken: b.invitation.token, requestId: b.request.id,
    requesterEmail: b.requester.email, tokenId: b.partnerTokenId, sessionId: b.people.owner.sessionId, roleSlug: b.customRole.slug,
    rightSlug: b.customRight.slug, eventId: w.bEventId,
  };
};
const MISSING_ID = 2_000_000_000;
const none = (): Ids => ({
  tenantSlug: `no-such-tenant-${crypto.randomBytes(3).toString("hex")}`, unit: MISSING_ID, unit2: MISSING_ID + 1, userId: MISSING_ID, membershipId: MISSING_ID,
  memberEmail: uniqueEmail("nobody"), emails: Array.from({ length: 7 }, () => uniqueEmail("nobody")), invitationId: MISSING_ID,
  inviteeEmail: uniqueEmail("nobody"), inviteToken: newSecret(SECRET_PREFIX.invitation), requestId: MISSING_ID, requesterEmail: uniqueEmail("nobody"),
  tokenId: MISSING_ID, sessionId: MISSING_ID, roleSlug: "no-such-role", rightSlug: "no_such_right", eventId: "999999999999",
});

/**
 * - not_found (default): NOT_FOUND / 404, identical to the missing id's answer; nothing changed anywhere.
 * - same_as_missing: refused exactly like the missing value (e.g. a role slug is a name, so B's is simply unknown: 422).
 * - refused: any refusal but a 500, nothing changed (e.g. B's invitation link presented by A's owner).
 * - no_leak: answers (or is refused); the answer holds nothing of B, and with `shape` it has the same shape (keys
 *   and nulls) as the answer for the missing value, so known and unknown addresses look alike. B never changes.
 */
type Expect = "not_found" | "same_as_missing" | "refused" | "no_leak";
type Variant<I> = { label: string; input: (x: Ids) => I; expect?: Expect; shape?: boolean };

type TrpcCase =
  | { scope: "tenant"; base: () => Record<string, unknown>; variants?: Variant<Record<string, unknown>>[] }
  | { scope: "authed" | "public"; why: string; base?: () => unknown; variants?: Variant<unknown>[]; prove?: () => Promise<void>; changesA?: true };

const A = () => w.a;
const T = () => ({ tenant: w.a.tenant.slug });
const tenantCase = (base: () => Record<string, unknown>, variants: Variant<Record<string, unknown>>[] = []): TrpcCase => ({ scope: "tenant", base, variants });
const ref = (label: string, patch: (x: Ids) => Record<string, unknown>, expect?: Expect, shape?: boolean) =>
  (base: () => Record<string, unknown>): Variant<Record<string, unknown>> => ({ label, input: (x) => ({ ...base(), ...patch(x) }), ...(expect ? { expect } : {}), ...(shape ? { shape } : {}) });
const cases = <I>(base: () => Record<string, unknown>, ...vs: ((b: () => Record<string, unknown>) => Variant<I>)[]) =>
  tenantCase(base, vs.map((v) => v(base) as Variant<Record<string, unknown>>));

const victim = () => ({ ...T(), id: A().victim.membershipId });
const atUnit = () => ({ ...T(), unitId: A().units.u1.id, userId: A().victim.user.id });
const fresh = () => uniqueEmail("isolation");

export const TRPC_CASES: Record<string, TrpcCase> = {
  "tenants.list": { scope: "authed", why: "lists the caller's own memberships; proves B is never among A's owner's tenants", base: () => undefined },
  "tenants.current": cases(T),
  "tenants.overview": cases(T),
  "account.me": { scope: "authed", why: "the caller's own profile; proves it names nothing of B", base: () => undefined },
  "account.sessions": { scope: "authed", why: "the caller's own sessions; proves none of B's members' sessions appear", base: () => undefined },
  "account.revokeSession": {
    scope: "authed", why: "addresses a session by id: B's owner's session is not the caller's",
    variants: [{ label: "B's owner's session id", input: (x) => ({ id: x.sessionId }) }],
  },
  "account.revokeOtherSessions": {
    scope: "authed", why: "no input: ends only the caller's other sessions; proves B's members' sessions stay live", changesA: true,
    prove: async () => {
      const before = await fingerprint(t.db, w.b.tenant.id);
      const { caller } = await signIn(t.db, w.a.victim.user);
      await caller.account.revokeOtherSessions();
      expect(await fingerprint(t.db, w.b.tenant.id)).toEqual(before);
    },
  },
  "account.reauthenticate": { scope: "authed", why: "re-enters the caller's own password or code: no tenant, no ids" },
  "account.twoFactor": { scope: "authed", why: "the caller's own two-factor state; proves it names nothing of B", base: () => undefined },
  "account.startTwoFactor": { scope: "authed", why: "enrols the caller's own account: no tenant, no ids" },
  "account.enableTwoFactor": { scope: "authed", why: "confirms the caller's own enrolment with a code: no tenant, no ids" },
  "account.disableTwoFactor": { scope: "authed", why: "the caller's own second factor: no tenant, no ids" },
  "account.regenerateRecoveryCodes": { scope: "authed", why: "the caller's own recovery codes: no tenant, no ids" },
  "account.verifyEmail": { scope: "public", why: "addressed by the emailed link's secret, no tenant; covered by account-verification.test.ts" },
  "account.requestVerificationEmail": { scope: "public", why: "anonymous, by address, one neutral answer; covered by account-verification.test.ts" },
  "account.resendVerificationEmail": { scope: "authed", why: "the caller's own address: no tenant, no ids" },
  "account.requestPasswordReset": { scope: "public", why: "anonymous, by address, one neutral answer; covered by account-password.test.ts" },
  "account.checkResetToken": { scope: "public", why: "addressed by the emailed link's secret, no tenant; covered by account-password.test.ts" },
  "account.resetPassword": { scope: "public", why: "addressed by the emailed link's secret, no tenant; covered by account-password.test.ts" },
  "account.changePassword": { scope: "authed", why: "the caller's own password: no tenant, no ids" },
  "account.removeAvatar": { scope: "authed", why: "the caller's own avatar: no tenant, no ids" },
  "account.updateProfile": { scope: "authed", why: "the caller's own name and language: no tenant, no ids" },
  "members.list": cases(T,
    ref("filter unitId = B's unit", (x) => ({ unitId: x.unit }), "no_leak"),
    ref("filter role = B's custom role", (x) => ({ role: x.roleSlug }), "no_leak"),
    ref("search = B's member's email", (x) => ({ search: x.memberEmail }), "no_leak")),
  "members.filterOptions": cases(T),
  "members.get": cases(victim, ref("B's membership id", (x) => ({ id: x.membershipId }))),
  "members.updateProfile": cases(() => ({ ...victim(), firstName: "Changed" }), ref("B's membership id", (x) => ({ id: x.membershipId }))),
  "members.setRoles": cases(() => ({ ...victim(), roles: ["worker"], hasFullAccess: false }),
    ref("B's membership id", (x) => ({ id: x.membershipId })),
    ref("B's custom role", (x) => ({ roles: [x.roleSlug] }), "same_as_missing")),
  "members.suspend": cases(victim, ref("B's membership id", (x) => ({ id: x.membershipId }))),
  "members.reactivate": cases(victim, ref("B's membership id", (x) => ({ id: x.membershipId }))),
  "members.remove": cases(victim, ref("B's membership id", (x) => ({ id: x.membershipId }))),
  "members.leave": cases(T),
  "units.list": cases(T, ref("archived included", () => ({ includeArchived: true }), "no_leak")),
  "units.users": cases(() => ({ ...T(), unitId: A().units.u1.id }), ref("B's unit", (x) => ({ unitId: x.unit }))),
  "units.create": cases(() => ({ ...T(), name: "Isolation unit", kind: "LOCATION" })),
  "units.rename": cases(() => ({ ...T(), unitId: A().units.u3.id, name: "Renamed" }), ref("B's unit", (x) => ({ unitId: x.unit }))),
  "units.archive": cases(() => ({ ...T(), unitId: A().units.u3.id }), ref("B's unit", (x) => ({ unitId: x.unit }))),
  "units.restore": cases(() => ({ ...T(), unitId: A().units.u3.id }), ref("B's unit", (x) => ({ unitId: x.unit }))),
  "access.get": cases(atUnit, ref("B's unit", (x) => ({ unitId: x.unit })), ref("B's user", (x) => ({ userId: x.userId }))),
  "access.update": cases(() => ({ ...atUnit(), permissions: [{ slug: "timetable_access", value: true }] }),
    ref("B's unit", (x) => ({ unitId: x.unit })), ref("B's user", (x) => ({ userId: x.userId })),
    ref("B's custom right", (x) => ({ permissions: [{ slug: x.rightSlug, value: true }] }), "same_as_missing")),
  "access.removeFromUnit": cases(atUnit, ref("B's unit", (x) => ({ unitId: x.unit })), ref("B's user", (x) => ({ userId: x.userId }))),
  "access.copyToUnits": cases(() => ({ ...atUnit(), links: [{ unitId: A().units.u3.id }] }),
    ref("B's unit as the only target", (x) => ({ links: [{ unitId: x.unit }] })),
    ref("B's unit as the second batch item", (x) => ({ links: [{ unitId: A().units.u3.id }, { unitId: x.unit }] })),
    ref("B's unit as the source", (x) => ({ unitId: x.unit })),
    ref("B's user", (x) => ({ userId: x.userId }))),
  "access.removeFromUnits": cases(() => ({ ...atUnit(), links: [{ unitId: A().units.u2.id }] }),
    ref("B's unit as the second batch item", (x) => ({ links: [{ unitId: A().units.u2.id }, { unitId: x.unit }] })),
    ref("B's user", (x) => ({ userId: x.userId }))),
  "roles.list": cases(T,
    ref("B's unit", (x) => ({ scope: "unit", unitId: x.unit })),
    ref("B's user at A's unit", (x) => ({ scope: "unit", unitId: A().units.u1.id, userId: x.userId })),
    ref("with permissions", () => ({ includePermissions: true }), "no_leak")),
  "roles.create": cases(() => ({ ...T(), slug: "isolation-role", title: "Isolation", weight: 10 }),
    ref("defaults name B's custom right", (x) => ({ defaults: [{ slug: x.rightSlug, value: true }] }), "same_as_missing")),
  "roles.update": cases(() => ({ ...T(), slug: A().customRole.slug, title: "Renamed" }), ref("B's custom role", (x) => ({ slug: x.roleSlug }), "same_as_missing")),
  "roles.delete": cases(() => ({ ...T(), slug: A().customRole.slug }), ref("B's custom role", (x) => ({ slug: x.roleSlug }), "same_as_missing")),
  "roles.createRight": cases(() => ({ ...T(), slug: "isolation_right", category: "custom", title: "Isolation", type: "BOOLEAN", defaultValue: false })),
  "invitations.create": cases(() => ({ ...T(), email: fresh(), sendEmail: false }),
    ref("unit grant at B's unit", (x) => ({ unitGrants: [{ unitId: x.unit, role: "worker" }] })),
    ref("preset role = B's custom role", (x) => ({ roles: [x.roleSlug] }), "same_as_missing"),
    ref("email of B's member", (x) => ({ email: x.emails[1] }), "no_leak", true)),
  "invitations.createMany": cases(() => ({ ...T(), items: [{ email: fresh(), sendEmail: false }] }),
    ref("B's unit in the second item", (x) => ({ items: [{ email: fresh(), sendEmail: false }, { email: fresh(), sendEmail: false, unitGrants: [{ unitId: x.unit, role: "worker" }] }] }))),
  "invitations.inviteEmails": cases(() => ({ ...T(), emails: fresh() }),
    ref("unit grant at B's unit", (x) => ({ unitGrants: [{ unitId: x.unit, role: "worker" }] })),
    ref("preset role = B's custom role", (x) => ({ roles: [x.roleSlug] }), "same_as_missing"),
    ref("email of B's member", (x) => ({ emails: x.emails[0] }), "no_leak", true)),
  "invitations.resend": cases(() => ({ ...T(), ref: { id: A().invitation.id } }),
    ref("B's invitation id", (x) => ({ ref: { id: x.invitationId } })), ref("B's invitee's email", (x) => ({ ref: { email: x.inviteeEmail } }))),
  "invitations.cancel": cases(() => ({ ...T(), ref: { id: A().invitation.id } }),
    ref("B's invitation id", (x) => ({ ref: { id: x.invitationId } })), ref("B's invitee's email", (x) => ({ ref: { email: x.inviteeEmail } }))),
  "invitations.listPending": cases(T, ref("expired included", () => ({ includeExpired: true }), "no_leak")),
  "invitations.preview": {
    scope: "public", why: "addressed by the link's secret, which is the authorization (no tenant from the caller); proves an unknown link previews nothing",
    prove: async () => {
      expect(await w.a.people.owner.caller.invitations.preview({ rawToken: none().inviteToken })).toBeNull();
    },
  },
  "invitations.accept": {
    scope: "authed", why: "by link: B's link presented by A's owner (not its addressee) is refused and B is unchanged",
    variants: [{ label: "B's invitation link", input: (x) => ({ rawToken: x.inviteToken }), expect: "refused" }],
  },
  "invitations.decline": {
    scope: "authed", why: "by link: B's link presented by A's owner (not its addressee) is refused and B is unchanged",
    variants: [{ label: "B's invitation link", input: (x) => ({ rawToken: x.inviteToken }), expect: "refused" }],
  },
  "invitations.mine": { scope: "authed", why: "the caller's own invitations from any tenant; proves none of B's (addressed to others) appear", base: () => undefined },
  "invitations.acceptMine": { scope: "authed", why: "by id among the caller's own invitations", variants: [{ label: "B's invitation id", input: (x) => ({ id: x.invitationId }) }] },
  "invitations.declineMine": { scope: "authed", why: "by id among the caller's own invitations", variants: [{ label: "B's invitation id", input: (x) => ({ id: x.invitationId }) }] },
  "joinRequests.landing": {
    scope: "public", why: "a public page naming a tenant by slug (no caller tenant); enumeration (unknown vs closed alike) is proven in sweep-input.test.ts",
    prove: async () => {
      const out = await w.a.people.owner.caller.joinRequests.landing({ tenant: w.b.tenant.slug });
      expect(JSON.stringify(out)).not.toContain(`${w.b.tag}First`);
    },
  },
  "joinRequests.create": { scope: "authed", why: "asking to join another tenant is its purpose (the tenant asked, never the caller's); covered by join-requests.test.ts" },
  "joinRequests.signUp": { scope: "public", why: "anonymous sign-up to ask an OPEN tenant; no caller tenant to escape; covered by join-requests.test.ts" },
  "joinRequests.listPending": cases(T),
  "joinRequests.accept": cases(() => ({ ...T(), id: A().request.id }),
    ref("B's request id", (x) => ({ id: x.requestId })),
    ref("A's request at B's unit", (x) => ({ unitIds: [x.unit] })),
    ref("role = B's custom role", (x) => ({ role: x.roleSlug }), "same_as_missing")),
  "joinRequests.deny": cases(() => ({ ...T(), id: A().request.id }), ref("B's request id", (x) => ({ id: x.requestId }))),
  "settings.get": cases(T),
  "settings.update": cases(() => ({ ...T(), invitationTtlDays: 9 })),
  "tokens.list": cases(T),
  "tokens.create": cases(() => ({ ...T(), kind: "personal", name: "isolation" })),
  "tokens.revoke": cases(() => ({ ...T(), id: A().partnerTokenId }), ref("B's partner token id", (x) => ({ id: x.tokenId }))),
  "audit.list": cases(T,
    ref("cursor = B's newest event", (x) => ({ cursor: x.eventId }), "no_leak"),
    ref("actor = B's member", (x) => ({ actorUserId: x.userId }), "no_leak"),
    ref("target = B's membership", (x) => ({ targetType: "membership", targetId: String(x.membershipId) }), "no_leak")),
  "audit.actors": cases(() => ({ ...T(), query: "" }), ref("query = B's marker", () => ({ query: MARK_B.toLowerCase() }), "no_leak")),
};

/** No trace of B: the marker is in every name, email and slug B owns (the emails the call itself sent are blanked). */
function expectNoLeak(value: unknown, sent: string[] = []) {
  let text = JSON.stringify(value) ?? "";
  for (const s of sent) text = text.split(s).join("<sent>");
  expect(text, "the answer shows something of tenant B").not.toContain(MARK_B);
}
const shapeOf = (v: unknown): unknown =>
  v === null ? null : Array.isArray(v) ? v.map(shapeOf) : typeof v === "object" ? Object.fromEntries(Object.entries(v as object).sort().map(([k, x]) => [k, shapeOf(x)])) : typeof v;
/** What a call may echo back because the caller sent it: B's addresses and names (never B's other data). */
const sentValues = (x: Ids) => [x.memberEmail, x.inviteeEmail, x.requesterEmail, ...x.emails, x.roleSlug, x.rightSlug, x.tenantSlug];

const procedures = trpcProcedures();

describe("tenant isolation: tRPC", () => {
  it("should have a case for every procedure of the app router, and none for a procedure that is gone", () => {
    expect(missingCases(procedures.map((p) => ({ key: p.path, where: p.file })), TRPC_CASES, CASE_FILE)).toEqual([]);
    expect(staleCases(procedures.map((p) => ({ key: p.path })), TRPC_CASES)).toEqual([]);
  });

  for (const proc of procedures) {
    it(`${proc.path} - another tenant's ids answer like missing ones and change nothing`, async () => {
      const c = TRPC_CASES[proc.path];
      if (!c) throw new Error(`${proc.path} (${proc.file}) has no case: add one to TRPC_CASES in ${CASE_FILE}`);
      const caller = w.a.people.owner.caller;
      const call = (input: unknown) => outcome(callProcedure(caller, proc.path, input));
      const [beforeA, beforeB] = [await fingerprint(t.db, w.a.tenant.id), await fingerprint(t.db, w.b.tenant.id)];
      let aMayChange = false;

      if (c.scope === "tenant") {
        // The tenant slug is the first id a tenant procedure takes: B's slug is "not found" like a slug nobody has.
        const viaB = await call({ ...c.base(), tenant: w.b.tenant.slug });
        const viaNone = await call({ ...c.base(), tenant: none().tenantSlug });
        expect(viaB, "B's tenant slug").toMatchObject({ ok: false, code: "NOT_FOUND" });
        expect(viaB.ok ? null : normalise(viaB.message)).toBe(viaNone.ok ? "answered" : normalise(viaNone.message));
        if (proc.type === "query") {
          // The base input is valid in A: so a refusal below is the foreign id's doing, not a malformed input.
          const own = await call(c.base());
          expect(own, "the base input answers in A").toMatchObject({ ok: true });
          expectNoLeak(own.ok ? own.value : null);
        }
      } else {
        if ("base" in c && c.base && proc.type === "query") {
          const own = await call(c.base());
          expect(own, "the caller's own view").toMatchObject({ ok: true });
          expectNoLeak(own.ok ? own.value : null);
        }
        if (c.prove) await c.prove();
        if (c.changesA) aMayChange = true;
        expect(c.why.length).toBeGreaterThan(10);
      }

      for (const v of (c.variants ?? []) as Variant<unknown>[]) {
        const expectKind = v.expect ?? "not_found";
        const x = foreign();
        const got = await call(v.input(x));
        const nobody = none();
        const missing = await call(v.input(nobody));
        const label = `${proc.path} with ${v.label}`;
        if (expectKind === "no_leak") {
          aMayChange ||= proc.type === "mutation";
          if (got.ok) expectNoLeak(got.value, sentValues(x));
          else expect(got.code, label).not.toBe("INTERNAL_SERVER_ERROR");
          if (v.shape) {
            expect(got.ok, `${label}: answers like an unknown address`).toBe(missing.ok);
            if (got.ok && missing.ok) expect(shapeOf(got.value), `${label}: same shape as for an unknown address`).toEqual(shapeOf(missing.value));
          }
          continue;
        }
        expect(got.ok, `${label} must be refused`).toBe(false);
        if (got.ok || missing.ok) continue;
        expect(got.code, label).not.toBe("INTERNAL_SERVER_ERROR");
        if (expectKind === "not_found") expect(got.code, label).toBe("NOT_FOUND");
        if (expectKind !== "refused") {
          expect({ code: got.code, message: normalise(got.message, sentValues(x)) }, `${label} answers like a missing one`)
            .toEqual({ code: missing.code, message: normalise(missing.message, sentValues(nobody)) });
        }
      }

      expect(await fingerprint(t.db, w.b.tenant.id), "tenant B changed").toEqual(beforeB);
      if (!aMayChange) expect(await fingerprint(t.db, w.a.tenant.id), "tenant A changed").toEqual(beforeA);
    });
  }
});

type RestVariant = { label: string; call: (x: Ids) => RestCall; expect?: Expect | 401; shape?: boolean };
type RestCase = { variants: RestVariant[] } | { why: string };

const owner000 = () => w.a.people.owner.pair;
const owner003 = () => w.a.people.owner.bearer;
const partnerA = () => `Bearer ${w.a.partner.token}`;
const loc = (location_id: number, extra: Record<string, string> = {}) => ({ location_id: String(location_id), ...extra });
const at = (unit: number, user: number) => loc(unit, { user_id: String(user) });
const v000 = (label: string, call: (x: Ids) => Omit<RestCall, "authorization">, expect?: Expect, shape?: boolean): RestVariant => ({
  label, call: (x) => ({ authorization: owner000(), ...call(x) }), ...(expect ? { expect } : {}), ...(shape ? { shape } : {}),
});
const v003 = (label: string, call: (x: Ids) => Omit<RestCall, "authorization">, expect?: Expect, shape?: boolean): RestVariant => ({
  label, call: (x) => ({ authorization: owner003(), ...call(x) }), ...(expect ? { expect } : {}), ...(shape ? { shape } : {}),
});
const aUnitVictim = () => at(w.a.units.u1.id, w.a.victim.user.id);
const unitAndUser = (extra: (x: Ids) => Omit<RestCall, "authorization" | "params"> = () => ({})) => [
  v000("B's location", (x) => ({ params: at(x.unit, w.a.victim.user.id), ...extra(x) })),
  v000("B's user at A's location", (x) => ({ params: at(w.a.units.u1.id, x.userId), ...extra(x) })),
];
const byEmail = (label: string, pick: (x: Ids) => string) => ({ variants: [v003(label, (x) => ({ params: { email: pick(x) } }))] });

export const REST_CASES: Record<string, RestCase> = {
  "POST /api/v1/auth": {
    variants: [{
      label: "B's owner's login and password under A's partner token", expect: "refused",
      call: (x) => ({ authorization: partnerA(), json: { login: x.emails[0], password: PASSWORD } }),
    }],
  },
  "GET /api/v1/company/[location_id]/users": { variants: [v000("B's location", (x) => ({ params: loc(x.unit) })), v000("B's location, approved only", (x) => ({ params: loc(x.unit), query: "filter[is_approved]=1" }))] },
  "DELETE /api/v1/company/[location_id]/users/[user_id]": { variants: unitAndUser() },
  "GET /api/v1/company/[location_id]/users/[user_id]/permissions": { variants: unitAndUser() },
  "PUT /api/v1/company/[location_id]/users/[user_id]/permissions": {
    variants: [
      ...unitAndUser(() => ({ json: { user_role: "worker", user_permissions: [{ slug: "timetable_access", value: true }] } })),
      v000("B's custom right at A's location", (x) => ({ params: aUnitVictim(), json: { user_permissions: [{ slug: x.rightSlug, value: true }] } }), "same_as_missing"),
    ],
  },
  "POST /api/v1/company/[location_id]/users/[user_id]/remove_from_companies": {
    variants: [
      ...unitAndUser(() => ({ json: { user_company_links: [{ company_id: w.a.units.u2.id }] } })),
      v000("B's location as the second batch item", (x) => ({ params: aUnitVictim(), json: { user_company_links: [{ company_id: w.a.units.u2.id }, { company_id: x.unit }] } })),
    ],
  },
  "POST /api/v1/company/[location_id]/users/[user_id]/copy_to_companies": {
    variants: [
      ...unitAndUser(() => ({ json: { user_company_links: [{ company_id: w.a.units.u3.id }] } })),
      v000("B's location as the second batch item", (x) => ({ params: aUnitVictim(), json: { user_company_links: [{ company_id: w.a.units.u3.id }, { company_id: x.unit }] } })),
      v000("B's location, dry run", (x) => ({ params: aUnitVictim(), query: "dry_run=1", json: { user_company_links: [{ company_id: x.unit }] } })),
    ],
  },
  "GET /api/v1/company/[location_id]/users/[user_id]/roles": { variants: [...unitAndUser(), ...unitAndUser(() => ({ query: "include=user_permissions" }))] },
  "GET /api/v1/company/[location_id]/users/roles": { variants: [v000("B's location", (x) => ({ params: loc(x.unit), query: "include=user_permissions" }))] },
  "GET /api/v1/company_users/[location_id]": { variants: [v000("B's location", (x) => ({ params: loc(x.unit) }))] },
  "GET /api/v1/user/permissions/[location_id]": { variants: [v000("B's location", (x) => ({ params: loc(x.unit) }))] },
  "POST /api/v1/user/invite/[location_id]": {
    variants: [
      v000("B's location", (x) => ({ params: loc(x.unit), json: { invites: [{ name: "N", search: uniqueEmail("iso") }] } })),
      v000("B's member's email at A's location", (x) => ({ params: loc(w.a.units.u1.id), json: { invites: [{ name: "N", search: x.emails[2] }] } }), "no_leak", true),
    ],
  },
  "DELETE /api/v1/tenants/members/[email]": byEmail("B's member's email", (x) => x.memberEmail),
  "GET /api/v1/tenants/members/active": { variants: [v003("A's list", () => ({}), "no_leak")] },
  "GET /api/v1/tenants/members/pending": { variants: [v003("A's inbox", () => ({}), "no_leak")] },
  "POST /api/v1/tenants/members/invite": { variants: [v003("B's member's email", (x) => ({ json: { email: x.emails[4], sendEmail: false } }), "no_leak", true)] },
  "POST /api/v1/tenants/members/import": {
    variants: [
      v003("B's member's email in the CSV", (x) => ({ rawBody: `email\n${x.emails[3]}\n`, headers: { "content-type": "text/csv" } }), "no_leak", true),
      v003("B's custom role in the CSV", (x) => ({ rawBody: `email,roles\n${uniqueEmail("iso")},${x.roleSlug}\n`, headers: { "content-type": "text/csv" } }), "same_as_missing"),
    ],
  },
  "POST /api/v1/tenants/members/invite/client": { variants: [v003("B's member's email", (x) => ({ json: { email: x.emails[5], sendEmail: false } }), "no_leak", true)] },
  "POST /api/v1/tenants/members/invite/resend": { variants: [v003("B's invitee's email", (x) => ({ json: { email: x.inviteeEmail } }))] },
  "GET /api/v1/tenants/members/invite/cancel/[email]": byEmail("B's invitee's email", (x) => x.inviteeEmail),
  "POST /api/v1/tenants/members/invite/cancel/[email]": byEmail("B's invitee's email", (x) => x.inviteeEmail),
  "GET /api/v1/tenants/members/remove/[email]": byEmail("B's member's email", (x) => x.memberEmail),
  "POST /api/v1/tenants/members/remove/[email]": byEmail("B's member's email", (x) => x.memberEmail),
  "GET /api/v1/tenants/members/request/accept/[email]": byEmail("B's requester's email", (x) => x.requesterEmail),
  "POST /api/v1/tenants/members/request/accept/[email]": byEmail("B's requester's email", (x) => x.requesterEmail),
  "GET /api/v1/tenants/members/request/deny/[email]": byEmail("B's requester's email", (x) => x.requesterEmail),
  "POST /api/v1/tenants/members/request/deny/[email]": byEmail("B's requester's email", (x) => x.requesterEmail),
  "POST /api/v1/tenants/members/request": {
    variants: [{ label: "B's member's email under A's partner token", expect: "no_leak", shape: true, call: (x) => ({ authorization: partnerA(), json: { email: x.emails[6] } }) }],
  },
};

let routes: RestRouteInfo[] = [];
routes = await restRoutes();

describe("tenant isolation: REST", () => {
  it("should have a case for every exported method of every route under app/api/v1, and none for a route that is gone", () => {
    expect(missingCases(routes.map((r) => ({ key: r.key, where: r.file })), REST_CASES, CASE_FILE)).toEqual([]);
    expect(staleCases(routes, REST_CASES)).toEqual([]);
  });

  for (const route of routes) {
    it(`${route.key} - another tenant's ids answer 404 like missing ones and change nothing`, async () => {
      const c = REST_CASES[route.key];
      if (!c) throw new Error(`${route.key} (${route.file}) has no case: add one to REST_CASES in ${CASE_FILE}`);
      if ("why" in c) return void expect(c.why.length).toBeGreaterThan(10);
      const [beforeA, beforeB] = [await fingerprint(t.db, w.a.tenant.id), await fingerprint(t.db, w.b.tenant.id)];
      let aMayChange = false;
      for (const v of c.variants) {
        const x = foreign();
        const got = await callRest(route, v.call(x));
        const nobody = none();
        const missing = await callRest(route, v.call(nobody));
        const label = `${route.key} with ${v.label}`;
        expect(got.status, `${label}: never a 500`).toBeLessThan(500);
        const kind = v.expect ?? "not_found";
        if (kind === "no_leak") {
          aMayChange = true;
          expectNoLeak(got.body, sentValues(x));
          if (v.shape) {
            expect(got.status, `${label}: same status as an unknown address`).toBe(missing.status);
            expect(shapeOf(got.body), `${label}: same shape as for an unknown address`).toEqual(shapeOf(missing.body));
          }
          continue;
        }
        expect(got.status, `${label} must be refused`).toBeGreaterThanOrEqual(400);
        expectNoLeak(got.body, sentValues(x));
        if (kind === "not_found") expect(got.status, label).toBe(404);
        if (kind === "not_found" || kind === "same_as_missing") {
          expect({ status: got.status, message: normalise(restMessage(got.body), sentValues(x)) }, `${label} answers like a missing one`)
            .toEqual({ status: missing.status, message: normalise(restMessage(missing.body), sentValues(nobody)) });
        }
      }
      expect(await fingerprint(t.db, w.b.tenant.id), "tenant B changed").toEqual(beforeB);
      if (!aMayChange) expect(await fingerprint(t.db, w.a.tenant.id), "tenant A changed").toEqual(beforeA);
    });
  }
});
