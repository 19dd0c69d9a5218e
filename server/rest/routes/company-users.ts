/**
 * Seed 000's deprecated listing, `/api/v1/company_users/[location_id]`. Dispatched by REST_ROUTES (./index.ts); the
 * file under app/api/v1/company_users re-exports this handler.
 */
import { pagingOf } from "../http.ts";
import { companyUserJson, DEPRECATED_ACCESS_RIGHTS, pathId } from "../seed000-dto.ts";
import { seed000Route } from "../seed000.ts";
import { listUnitUserRows } from "../../services/units/unit-user-rows.ts";

/**
 * Seed 000 #11 (deprecated): the location's users with the `access` flags object; `meta` is an empty array (the
 * seed's shape, so there is nowhere to put a total). The same one-statement, streamed listing as #1, and the same
 * optional `?page=&count=`.
 */
export const legacyCompanyUsersGET = seed000Route<{ location_id: string }>({}, async ({ req, db, principal, params }) => {
  const { rows } = await listUnitUserRows(db, principal!.actor, {
    unitId: pathId(params.location_id), kind: "LOCATION", page: pagingOf(new URL(req.url)), rights: DEPRECATED_ACCESS_RIGHTS,
  });
  return { rows: { items: rows, toJson: companyUserJson }, meta: [], headers: { Deprecation: "true" } };
});
