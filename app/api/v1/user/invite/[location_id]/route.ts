import { parseBody } from "@/server/rest/http.ts";
import { pathId } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { createInvitations } from "@/server/services/invitations/create-invitation.ts";
import { invite000Items, withInvite000Names, ZInvite000Body } from "@/server/services/invitations/wire.ts";

type P = { location_id: string };

/**
 * Seed 000 #8: invites people to a location, all-or-nothing; 202 with one result per invite. A phone invitation has
 * no delivery channel yet, so its accept link comes back once as `invite_url` (an added key).
 */
export const POST = seed000Route<P>({ body: true }, async ({ db, principal, params, body }) => {
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
