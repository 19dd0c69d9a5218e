import { pagingOf } from "@/server/rest/http.ts";
import { companyUserJson, DEPRECATED_ACCESS_RIGHTS, pathId } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { listUnitUserRows } from "@/server/services/units/unit-user-rows.ts";

type P = { location_id: string };

/**
 * Seed 000 #11 (deprecated): the location's users with the `access` flags object; `meta` is an empty array (the
 * seed's shape, so there is nowhere to put a total). The same one-statement, streamed listing as #1, and the same
 * optional `?page=&count=`.
 */
export const GET = seed000Route<P>({}, async ({ req, db, principal, params }) => {
  const { rows } = await listUnitUserRows(db, principal!.actor, {
    unitId: pathId(params.location_id), kind: "LOCATION", page: pagingOf(new URL(req.url)), rights: DEPRECATED_ACCESS_RIGHTS,
  });
  return { rows: { items: rows, toJson: companyUserJson }, meta: [], headers: { Deprecation: "true" } };
});
