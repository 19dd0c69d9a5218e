/**
 * Seed 000's caller-side routes, `/api/v1/user/**`: the caller's own permissions at a location and inviting people
 * to one. Dispatched by REST_ROUTES (./index.ts); the files under app/api/v1/user re-export these handlers.
 */
import { parseBody } from "../http.ts";
import { pathId } from "../seed000-dto.ts";
import { seed000Route } from "../seed000.ts";
import { getMyUnitPermissions } from "../../services/access/get-my-unit-permissions.ts";
import { createInvitations } from "../../services/invitations/create-invitation.ts";
import { invite000Items, withInvite000Names, ZInvite000Body } from "../../services/invitations/wire.ts";

type Location = { location_id: string };

/** Seed 000 #3: the caller's own business-right values at the location, grouped by category. */
export const userPermissionsGET = seed000Route<Location>({}, async ({ db, principal, params }) => {
  const data = await getMyUnitPermissions(db, principal!.actor, { unitId: pathId(params.location_id), kind: "LOCATION" });
  return { data, meta: {} };
});

/**
 * Seed 000 #8: invites people to a location, all-or-nothing; 202 with one result per invite. A phone invitation has
 * no delivery channel yet, so its accept link comes back once as `invite_url` (an added key).
 */
export const userInvitePOST = seed000Route<Location>({ body: true }, async ({ db, principal, params, body }) => {
  const locationId = pathId(params.location_id);
  const b = parseBody(ZInvite000Body, body);
  const out = await withInvite000Names(() => createInvitations(db, principal!.actor, { items: invite000Items(b, locationId) }));
  return {
    status: 202,
    data: null,
    meta: {
      message: "Saved",
      results: out.results.map((r, i) => ({ search: b.invites[i]!.search, status: "invited", ...(r.inviteUrl ? { invite_url: r.inviteUrl } : {}) })),
    },
  };
});
