import { pagingOf } from "@/server/rest/http.ts";
import { approvedFilter, locationUserJson, pathId } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { listUnitUserRows } from "@/server/services/units/unit-user-rows.ts";

type P = { location_id: string };

/**
 * Seed 000 #1: the location's users; `filter[is_approved]=1|0`; `meta.count` (the exact total). One statement,
 * streamed. Optional `?page=&count=` (count ≤ 1,000) adds `meta.page` and `meta.per_page`; without them every row.
 */
export const GET = seed000Route<P>({}, async ({ req, db, principal, params }) => {
  const url = new URL(req.url);
  const approved = approvedFilter(url);
  const page = pagingOf(url);
  const { total, rows } = await listUnitUserRows(db, principal!.actor, {
    unitId: pathId(params.location_id), kind: "LOCATION", page, ...(approved !== undefined ? { approved } : {}),
  });
  return { rows: { items: rows, toJson: locationUserJson }, meta: { count: total, ...(page ? { page: page.page, per_page: page.count } : {}) } };
});
