/**
 * Issue 9, found when the running app was attacked: inviting an address that belongs to another tenant's member must
 * not reveal that person (name, last sign-in, verification, user id) on any door. Until acceptance an invitation
 * answers only its own fields, identical for a known and an unknown address (WIRE.md, Seed 003 Member).
 * And: accepting an invitation whose unit was archived meanwhile skips that unit, but never silently.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { POST as inviteClientPOST } from "../../app/api/v1/tenants/members/invite/client/route.ts";
import { POST as invitePOST } from "../../app/api/v1/tenants/members/invite/route.ts";
import { GET as pendingGET } from "../../app/api/v1/tenants/members/pending/route.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { getAcceptResult } from "../../server/services/invitations/get-accept-result.ts";
import { archiveUnit } from "../../server/services/units/set-unit-archived.ts";
import { accessWorld, callerOf, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, createUnitIn, signIn, uniqueEmail } from "../helpers/factories.ts";
import { createAccount, inviteWithLink } from "../helpers/invitation-factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { addNamedMember, personalTokenOf } from "../helpers/members-factories.ts";

const t = useTestDb();
let w: AccessWorld;
let ownerToken: string;
/** Someone who is a member elsewhere, with every personal field the old answers leaked filled in. */
let known: { id: number; email: string };
const SECRETS = ["Secretfirst", "Secretlast", "Secret Display", "+15550001111", "blob-secret"];
const LAST_LOGIN = new Date("2026-11-30T10:11:12.000Z");

async function knownPerson() {
  const other = await createTenantWithOwner(t.db);
  const m = await addNamedMember(t.db, other.tenant, { firstName: "Secretfirst", lastName: "Secretlast", phone: "+15550001111", email: uniqueEmail("known") });
  await t.db.user.update({
    where: { id: m.user.id },
    data: {
      displayName: "Secret Display", language: "de", lastLoginAt: LAST_LOGIN, emailVerifiedAt: new Date(),
      avatar: { blobId: "blob-secret", thumbnailBlobId: "blob-secret", width: 10, height: 10 },
    },
  });
  return { id: m.user.id, email: m.user.email };
}

beforeAll(async () => {
  w = await accessWorld(t.db);
  ownerToken = `Bearer ${await personalTokenOf(t.db, w.tenant, w.owner.user.id)}`;
});

const post = (handler: unknown, path: string, json: unknown) => callRoute(handler as RouteHandler, { method: "POST", path, authorization: ownerToken, json });

/** The answer with what legitimately differs between two invitations (address, ids, the one-time link) blanked. */
function comparable(body: unknown): unknown {
  const b = { ...(body as Record<string, unknown>) };
  for (const k of ["email", "id", "inviteUrl"]) if (k in b) b[k] = `<${k}>`;
  return b;
}

function expectNothingOf(body: unknown, person: { id: number }) {
  const json = JSON.stringify(body);
  for (const s of SECRETS) expect(json).not.toContain(s);
  expect(json).not.toContain(LAST_LOGIN.toISOString());
  expect(json).not.toMatch(new RegExp(`"userId":"?${person.id}"?[,}]`));
}

describe("invitation answers reveal nothing about an existing account", () => {
  it("POST /api/v1/tenants/members/invite - a known address answers exactly like an unknown one (sendEmail false): only email and ids differ", async () => {
    known = await knownPerson();
    const a = await post(invitePOST, "/api/v1/tenants/members/invite", { email: known.email, sendEmail: false });
    const b = await post(invitePOST, "/api/v1/tenants/members/invite", { email: uniqueEmail("unknown"), sendEmail: false });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(comparable(a.body)).toEqual(comparable(b.body));
    expectNothingOf(a.body, known);
    const inv = await t.db.invitation.findFirstOrThrow({ where: { tenantId: w.tenant.id, email: known.email } });
    expect(a.body).toMatchObject({
      id: String(inv.id), email: known.email, firstName: null, lastName: null, lastLogin: null, verified: false, language: "en",
      profile: null, status: "INVITED", roles: ["worker"], projectAccess: [], subsidiaryAccess: [], hasFullAccess: false,
    });
  });

  it("POST /api/v1/tenants/members/invite/client - a known address answers exactly like an unknown one", async () => {
    const person = await knownPerson();
    const a = await post(inviteClientPOST, "/api/v1/tenants/members/invite/client", { email: person.email, sendEmail: true });
    const b = await post(inviteClientPOST, "/api/v1/tenants/members/invite/client", { email: uniqueEmail("unknown-client"), sendEmail: true });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(comparable(a.body)).toEqual(comparable(b.body));
    expectNothingOf(a.body, person);
  });

  it("GET /api/v1/tenants/members/pending - pending invitations of known and unknown addresses look alike", async () => {
    const res = await callRoute(pendingGET as unknown as RouteHandler, { method: "GET", path: "/api/v1/tenants/members/pending", authorization: ownerToken });
    expect(res.status).toBe(200);
    const body = res.body as { pendingInvites: Record<string, unknown>[]; pendingClientInvites: Record<string, unknown>[] };
    const knownRow = body.pendingInvites.find((m) => m.email === known.email)!;
    const unknownRow = body.pendingInvites.find((m) => m.email !== known.email)!;
    expect(comparable(knownRow)).toEqual(comparable(unknownRow));
    expect(body.pendingClientInvites).toHaveLength(2);
    expect(comparable(body.pendingClientInvites[0])).toEqual(comparable(body.pendingClientInvites[1]));
    expectNothingOf(body, known);
  });

  it("should give tRPC invitations.create and invitations.listPending no person fields for a known address", async () => {
    const person = await knownPerson();
    const caller = await callerOf(t.db, w.owner);
    const a = await caller.invitations.create({ tenant: w.tenant.slug, email: person.email, sendEmail: false });
    const b = await caller.invitations.create({ tenant: w.tenant.slug, email: uniqueEmail("trpc-unknown"), sendEmail: false });
    const strip = (o: typeof a) => ({ ...o, inviteUrl: "<url>", invitation: { ...o.invitation, id: 0, email: "<email>", createdAt: 0, expiresAt: 0 } });
    expect(strip(a)).toEqual(strip(b));
    expectNothingOf(a, person);
    const list = await caller.invitations.listPending({ tenant: w.tenant.slug });
    expectNothingOf(list, person);
    const row = list.invitations.find((i) => i.email === person.email)!;
    expect(Object.keys(row)).not.toContain("invitee");
  });
});

describe("accepting an invitation whose unit was archived in the meantime", () => {
  it("should accept, skip the archived unit and name it in the answer (link and account page) and in the audit row", async () => {
    const keep = await createUnitIn(t.db, w.tenant, { name: "Kept unit" });
    const gone = await createUnitIn(t.db, w.tenant, { name: "Archived <b>unit</b>" });
    const grants = [{ unitId: gone.id, role: "worker" }, { unitId: keep.id, role: "worker" }];
    const byLink = await createAccount(t.db);
    const viaLink = await inviteWithLink(t.db, w.owner.actor, { email: byLink.email, unitGrants: grants });
    const byAccount = await createAccount(t.db);
    const viaAccount = await inviteWithLink(t.db, w.owner.actor, { email: byAccount.email, unitGrants: grants });
    await archiveUnit(t.db, w.owner.actor, { unitId: gone.id });

    const skipped = [{ id: gone.id, name: "Archived <b>unit</b>", reason: "archived" }];
    const a = await acceptInvitation(t.db, { userId: byLink.id, rawToken: viaLink.token });
    expect(a.skippedUnits).toEqual(skipped);
    const caller = (await signIn(t.db, byAccount)).caller;
    const b = await caller.invitations.acceptMine({ id: viaAccount.invitation.id });
    expect(b.skippedUnits).toEqual(skipped);

    for (const [who, inv, out] of [[byLink, viaLink, a], [byAccount, viaAccount, b]] as const) {
      const access = await t.db.unitAccess.findMany({ where: { membershipId: out.membershipId }, select: { unitId: true } });
      expect(access.map((r) => r.unitId)).toEqual([keep.id]);
      const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "invitation.accepted", targetId: String(inv.invitation.id) } });
      expect((event.after as { skippedUnits: unknown }).skippedUnits).toEqual(skipped);
      // The landing page reads the result back for the person who accepted, and for nobody else.
      expect(await getAcceptResult(t.db, { userId: who.id, invitationId: inv.invitation.id })).toEqual({
        tenantName: w.tenant.name, tenantSlug: w.tenant.slug, skippedUnits: skipped,
      });
      expect(await getAcceptResult(t.db, { userId: w.owner.user.id, invitationId: inv.invitation.id })).toBeNull();
    }
  });

  it("should answer skippedUnits [] when every preset unit is live", async () => {
    const person = await createAccount(t.db);
    const inv = await inviteWithLink(t.db, w.owner.actor, { email: person.email, unitGrants: [{ unitId: w.units.l3.id, role: "worker" }] });
    const out = await acceptInvitation(t.db, { userId: person.id, rawToken: inv.token });
    expect(out.skippedUnits).toEqual([]);
    expect(await getAcceptResult(t.db, { userId: person.id, invitationId: inv.invitation.id })).toMatchObject({ skippedUnits: [] });
  });
});
