import { approvedFilter, pathId, toLocationUser } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { listUnitUsers } from "@/server/services/units/list-unit-users.ts";

type P = { location_id: string };

/** Seed 000 #1: the location's users; `filter[is_approved]=1|0`; `meta.count`. */
export const GET = seed000Route<P>({}, async ({ req, db, principal, params }) => {
  const approved = approvedFilter(new URL(req.url));
  const users = await listUnitUsers(db, principal!.actor, { unitId: pathId(params.location_id), kind: "LOCATION", ...(approved !== undefined ? { approved } : {}) });
  return { data: users.map(toLocationUser), meta: { count: users.length } };
});
