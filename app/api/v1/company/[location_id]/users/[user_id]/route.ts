import { pathId } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { removeFromUnit } from "@/server/services/access/remove-from-unit.ts";

type P = { location_id: string; user_id: string };

/** Seed 000 #2: removes the user from the location; 409 for the non-deletable last owner. */
export const DELETE = seed000Route<P>({}, async ({ db, principal, params }) => {
  await removeFromUnit(db, principal!.actor, { unitId: pathId(params.location_id), userId: pathId(params.user_id), kind: "LOCATION" });
  return { data: null, meta: {} };
});
