import { pathId } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { getMyUnitPermissions } from "@/server/services/access/get-my-unit-permissions.ts";

type P = { location_id: string };

/** Seed 000 #3: the caller's own business-right values at the location, grouped by category. */
export const GET = seed000Route<P>({}, async ({ db, principal, params }) => {
  const data = await getMyUnitPermissions(db, principal!.actor, { unitId: pathId(params.location_id), kind: "LOCATION" });
  return { data, meta: {} };
});
