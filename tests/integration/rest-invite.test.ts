/** REST invitation routes: seed 003 invite, invite/client, invite/resend, invite/cancel/{email}; seed 000 POST /user/invite/{location_id}. */
import { beforeAll, describe, expect, it } from "vitest";
import { POST as inviteClientPOST } from "../../app/api/v1/tenants/members/invite/client/route.ts";
import { GET as cancelGET, POST as cancelPOST } from "../../app/api/v1/tenants/members/invite/cancel/[email]/route.ts";
import { POST as resendPOST } from "../../app/api/v1/tenants/members/invite/resend/route.ts";
import { POST as invitePOST } from "../../app/api/v1/tenants/members/invite/route.ts";
import { POST as invite000POST } from "../../app/api/v1/user/invite/[location_id]/route.ts";
import { previewInvitation } from "../../server/services/invitations/preview-invitation.ts";
import { accessWorld, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createPartnerToken, createTenantWithOwner, createUnitIn, uniqueEmail } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { tokenOf, writeCounts } from "../helpers/invitation-factories.ts";
import { personalTokenOf } from "../helpers/members-factories.ts";

const t = useTestDb();
let w: AccessWorld;
let ownerToken: string;
beforeAll(async () => {
  w = await accessWorld(t.db);
  ownerToken = `Bearer ${await personalTokenOf(t.db, w.tenant, w.owner.user.id)}`;
});

const MEMBER_KEYS = [
  "email", "firstName", "hasFullAccess", "id", "language", "lastLogin", "lastName", "profile", "projectAccess", "roles", "status",
  "subsidiaryAccess", "tenantId", "verified",
];
const post = (handler: unknown, path: string, authorization: string, json: unknown, params: Record<string, string> = {}) =>
  callRoute(handler as RouteHandler, { method: "POST", path, authorization, json, params });

function expectProblem(res: { status: number; body: unknown }, status: number, title: string) {
  expect(res.status).toBe(status);
  const body = res.body as Record<string, unknown>;
  expect(body.title).toBe(title);
  expect(typeof body.detail).toBe("string");
  expect(new Date(body.time as string).toISOString()).toBe(body.time);
  return body;
}

describe("POST /api/v1/tenants/members/invite", () => {
  it("POST /api/v1/tenants/members/invite - 201 the Member with status INVITED in the exact WIRE.md shape (invitation id, no person fields), queued email, no inviteUrl", async () => {
    const email = uniqueEmail("rest");
    const res = await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email, sendEmail: true });
    expect(res.status).toBe(201);
    const body = res.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(MEMBER_KEYS);
    // WIRE.md: until acceptance `id` is the invitation's id and nothing comes from the person's account.
    const inv = await t.db.invitation.findFirstOrThrow({ where: { email, tenantId: w.tenant.id } });
    expect(body).toEqual({
      id: String(inv.id), tenantId: String(w.tenant.id), email, firstName: null, lastName: null, language: "en", lastLogin: null,
      verified: false, status: "INVITED", hasFullAccess: false, roles: ["worker"], projectAccess: [], subsidiaryAccess: [],
      profile: null,
    });
    expect(await t.db.emailDelivery.count({ where: { to: email, kind: "invitation" } })).toBe(1);
  });

  it("POST /api/v1/tenants/members/invite - sendEmail false carries inviteUrl once and queues nothing", async () => {
    const email = uniqueEmail("link");
    const res = await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email, sendEmail: false });
    expect(res.status).toBe(201);
    const body = res.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([...MEMBER_KEYS, "inviteUrl"].sort());
    expect(await previewInvitation(t.db, tokenOf(body.inviteUrl as string))).not.toBeNull();
    expect(await t.db.emailDelivery.count({ where: { to: email } })).toBe(0);
  });

  it("POST /api/v1/tenants/members/invite - 422 for the seed's placeholder values (bad email, unlisted verificationBaseUrl), nothing written", async () => {
    const before = await writeCounts(t.db, w.tenant.id);
    const bad = await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email: "string", sendEmail: true, verificationBaseUrl: "https://example.com" });
    expect(expectProblem(bad, 422, "Unprocessable Entity").detail).toContain("email");
    const base = await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email: uniqueEmail("b"), sendEmail: true, verificationBaseUrl: "string" });
    expect(expectProblem(base, 422, "Unprocessable Entity").detail).toContain("verificationBaseUrl");
    const unknown = await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email: uniqueEmail("b"), extra: 1 });
    expectProblem(unknown, 422, "Unprocessable Entity");
    expect(await writeCounts(t.db, w.tenant.id)).toEqual(before);
  });

  it("POST /api/v1/tenants/members/invite - 409 for an existing member and for a second pending invitation", async () => {
    expectProblem(await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email: w.worker.user.email }), 409, "Conflict");
    const email = uniqueEmail("twice");
    expect((await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email })).status).toBe(201);
    expectProblem(await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email }), 409, "Conflict");
  });

  it("POST /api/v1/tenants/members/invite - 403 naming members.invite for a partner token without that scope; 401 without a token", async () => {
    const partner = await createPartnerToken(t.db, w.tenant, { scopes: ["members.read"] });
    const res = await post(invitePOST, "/api/v1/tenants/members/invite", `Bearer ${partner.token}`, { email: uniqueEmail("p") });
    expect(expectProblem(res, 403, "Forbidden").detail).toBe("Access denied. Missing permission: members.invite");
    expect((await post(invitePOST, "/api/v1/tenants/members/invite", "", { email: uniqueEmail("p") })).status).toBe(401);
  });

  it("POST /api/v1/tenants/members/invite - 403 for a worker's and an accountant's personal token", async () => {
    for (const p of [w.worker, w.accountant]) {
      const token = `Bearer ${await personalTokenOf(t.db, w.tenant, p.user.id)}`;
      expectProblem(await post(invitePOST, "/api/v1/tenants/members/invite", token, { email: uniqueEmail("d") }), 403, "Forbidden");
    }
  });
});

describe("POST /api/v1/tenants/members/invite/client", () => {
  it("POST /api/v1/tenants/members/invite/client - 201 an INVITED client Member; the invitation is of kind CLIENT", async () => {
    const email = uniqueEmail("client");
    const res = await post(inviteClientPOST, "/api/v1/tenants/members/invite/client", ownerToken, { email, sendEmail: true, verificationBaseUrl: "http://localhost:3000" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, status: "INVITED", roles: ["client"] });
    expect(await t.db.invitation.findFirstOrThrow({ where: { email, tenantId: w.tenant.id } })).toMatchObject({ kind: "CLIENT", status: "PENDING" });
    expect(await t.db.emailDelivery.count({ where: { to: email, kind: "client_invitation" } })).toBe(1);
  });
});

describe("POST /api/v1/tenants/members/invite/resend and /invite/cancel/{email}", () => {
  it("POST /api/v1/tenants/members/invite/resend - 204, the old link dies; 404 when nothing is pending", async () => {
    const email = uniqueEmail("resend");
    const created = await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email, sendEmail: false });
    const oldToken = tokenOf((created.body as { inviteUrl: string }).inviteUrl);
    const res = await post(resendPOST, "/api/v1/tenants/members/invite/resend", ownerToken, { email, verificationBaseUrl: "http://localhost:3000" });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await previewInvitation(t.db, oldToken)).toBeNull();
    expect((await t.db.invitation.findFirstOrThrow({ where: { email, tenantId: w.tenant.id } })).sendCount).toBe(1);
    expectProblem(await post(resendPOST, "/api/v1/tenants/members/invite/resend", ownerToken, { email: uniqueEmail("none") }), 404, "Not Found");
  });

  it.each([["GET", cancelGET], ["POST", cancelPOST]] as const)("%s /api/v1/tenants/members/invite/cancel/{email} - 204 and the link dies; 404 for none or another tenant's", async (method, handler) => {
    const email = uniqueEmail("cancel");
    const created = await post(invitePOST, "/api/v1/tenants/members/invite", ownerToken, { email, sendEmail: false });
    const token = tokenOf((created.body as { inviteUrl: string }).inviteUrl);
    const call = (e: string) => callRoute(handler as unknown as RouteHandler, { method, path: `/api/v1/tenants/members/invite/cancel/${encodeURIComponent(e)}`, authorization: ownerToken, params: { email: encodeURIComponent(e) } });
    const res = await call(email);
    expect(res.status).toBe(204);
    expect(await previewInvitation(t.db, token)).toBeNull();
    expectProblem(await call(email), 404, "Not Found");
    const other = await createTenantWithOwner(t.db);
    const otherToken = `Bearer ${await personalTokenOf(t.db, other.tenant, other.owner.id)}`;
    const foreign = uniqueEmail("foreign");
    await post(invitePOST, "/api/v1/tenants/members/invite", otherToken, { email: foreign });
    expectProblem(await call(foreign), 404, "Not Found");
  });
});

describe("POST /api/v1/user/invite/{location_id}", () => {
  const path = (id: number) => `/api/v1/user/invite/${id}`;
  const invite000 = (auth: string, locationId: number, json: unknown) => post(invite000POST, path(locationId), auth, json, { location_id: String(locationId) });

  it("POST /api/v1/user/invite/{location_id} - 202 with the exact envelope; grants at the location as preset", async () => {
    const a = uniqueEmail("s0");
    const res = await invite000(w.owner.auth, w.units.l1.id, {
      invites: [
        { name: "Ann", search: a, position: "Desk", user_role: "manager", user_permissions: [{ slug: "send_sms", value: true }], staff_id: 12 },
        { name: null, search: "+15551239999", position: null, user_role: null, user_permissions: null, staff_id: null },
      ],
    });
    expect(res.status).toBe(202);
    const body = res.body as { success: boolean; data: null; meta: { message: string; results: Record<string, unknown>[] } };
    expect(body).toMatchObject({ success: true, data: null, meta: { message: "Saved" } });
    expect(Object.keys(body).sort()).toEqual(["data", "meta", "success"]);
    expect(body.meta.results[0]).toEqual({ search: a, status: "invited" });
    expect(body.meta.results[1]).toMatchObject({ search: "+15551239999", status: "invited" });
    expect(body.meta.results[1]!.invite_url).toMatch(/\/invite\/rs_inv_/);
    const inv = await t.db.invitation.findFirstOrThrow({ where: { email: a, tenantId: w.tenant.id } });
    expect(inv.unitGrants).toEqual([{ unitId: w.units.l1.id, roleSlug: "manager", permissions: { send_sms: true }, staffId: 12, position: "Desk" }]);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: a } })).displayName).toBe("Ann");
  });

  it("POST /api/v1/user/invite/{location_id} - 422 naming invites[i].search, all-or-nothing", async () => {
    const before = await writeCounts(t.db, w.tenant.id);
    const res = await invite000(w.owner.auth, w.units.l1.id, { invites: [{ search: uniqueEmail("ok") }, { search: "a@b.test,c@d.test" }] });
    expect(res.status).toBe(422);
    const body = res.body as { success: boolean; data: null; meta: { message: string; errors: { path: string }[] } };
    expect(body.success).toBe(false);
    expect(body.data).toBeNull();
    expect(body.meta.message).toContain("invites[1].search");
    expect(body.meta.errors[0]!.path).toBe("invites[1].search");
    expect(await writeCounts(t.db, w.tenant.id)).toEqual(before);
  });

  it("POST /api/v1/user/invite/{location_id} - 409 naming invites[i] for an existing member, nothing written", async () => {
    const before = await writeCounts(t.db, w.tenant.id);
    const res = await invite000(w.owner.auth, w.units.l1.id, { invites: [{ search: uniqueEmail("ok") }, { search: w.worker.user.email }] });
    expect(res.status).toBe(409);
    expect((res.body as { meta: { message: string } }).meta.message).toMatch(/^invites\[1\]: /);
    expect(await writeCounts(t.db, w.tenant.id)).toEqual(before);
  });

  it("POST /api/v1/user/invite/{location_id} - 404 for another tenant's location, 403 for a worker, 403 for a grant above the caller's", async () => {
    const other = await createTenantWithOwner(t.db);
    const foreign = await createUnitIn(t.db, other.tenant);
    expect((await invite000(w.owner.auth, foreign.id, { invites: [{ search: uniqueEmail("f") }] })).status).toBe(404);
    expect((await invite000(w.worker.auth, w.units.l1.id, { invites: [{ search: uniqueEmail("w") }] })).status).toBe(403);
    const res = await invite000(w.manager.auth, w.units.l1.id, { invites: [{ search: uniqueEmail("m"), user_permissions: [{ slug: "billing_access", value: true }] }] });
    expect(res.status).toBe(403);
    expect((res.body as { meta: { message: string } }).meta.message).toContain("billing_access");
  });
});
