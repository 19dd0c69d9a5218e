import { pathId, toCompanyUser } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { listUnitUsers } from "@/server/services/units/list-unit-users.ts";

type P = { location_id: string };

/** Seed 000 #11 (deprecated): the location's users with the `access` flags object; `meta` is an empty array. */
export const GET = seed000Route<P>({}, async ({ db, principal, params }) => {
  const users = await listUnitUsers(db, principal!.actor, { unitId: pathId(params.location_id), kind: "LOCATION" });
  return { data: users.map(toCompanyUser), meta: [], headers: { Deprecation: "true" } };
});
