/**
 * Seed 000's location routes, `/api/v1/company/[location_id]/users/**`: the location's users, its roles, and one
 * user's roles, permissions and copies to other locations. Dispatched by REST_ROUTES (./index.ts); the files under
 * app/api/v1/company re-export these handlers.
 */
import { pagingOf, parseBody } from "../http.ts";
import {
  approvedFilter,
  dryRunFlag,
  includesPermissions,
  locationUserJson,
  pathId,
  toBatchMeta,
  toRole,
  toUserPermissions,
  withWireNames,
  ZCopyBody,
  ZPutPermissionsBody,
  ZRemoveBody,
} from "../seed000-dto.ts";
import { seed000Route } from "../seed000.ts";
import { copyToUnits } from "../../services/access/copy-to-units.ts";
import { getUnitAccess } from "../../services/access/get-unit-access.ts";
import { removeFromUnit } from "../../services/access/remove-from-unit.ts";
import { removeFromUnits } from "../../services/access/remove-from-units.ts";
import { updateUnitAccess } from "../../services/access/update-unit-access.ts";
import { listRoles } from "../../services/roles/list-roles.ts";
import { listUnitUserRows } from "../../services/units/unit-user-rows.ts";

type Location = { location_id: string };
type LocationUser = { location_id: string; user_id: string };

/**
 * Seed 000 #1: the location's users; `filter[is_approved]=1|0`; `meta.count` (the exact total). One statement,
 * streamed. Optional `?page=&count=` (count ≤ 1,000) adds `meta.page` and `meta.per_page`; without them every row.
 */
export const companyUsersGET = seed000Route<Location>({}, async ({ req, db, principal, params }) => {
  const url = new URL(req.url);
  const approved = approvedFilter(url);
  const page = pagingOf(url);
  const { total, rows } = await listUnitUserRows(db, principal!.actor, {
    unitId: pathId(params.location_id), kind: "LOCATION", page, ...(approved !== undefined ? { approved } : {}),
  });
  return { rows: { items: rows, toJson: locationUserJson }, meta: { count: total, ...(page ? { page: page.page, per_page: page.count } : {}) } };
});

/** Seed 000 #2: removes the user from the location; 409 for the non-deletable last owner. */
export const companyUserDELETE = seed000Route<LocationUser>({}, async ({ db, principal, params }) => {
  await removeFromUnit(db, principal!.actor, { unitId: pathId(params.location_id), userId: pathId(params.user_id), kind: "LOCATION" });
  return { data: null, meta: {} };
});

/** Seed 000 #4: the roles a user can have at the location; `include=user_permissions` adds the permission tree. */
export const companyRolesGET = seed000Route<Location>({}, async ({ req, db, principal, params }) => {
  const include = includesPermissions(new URL(req.url));
  const roles = await listRoles(db, principal!.actor, { unitId: pathId(params.location_id), kind: "LOCATION", scope: "unit", includePermissions: include });
  return { data: roles.map((r) => toRole(r, include)), meta: {} };
});

/** Seed 000 #5: the roles in the context of a location user; `is_editable` says what the caller may grant to them. */
export const companyUserRolesGET = seed000Route<LocationUser>({}, async ({ req, db, principal, params }) => {
  const include = includesPermissions(new URL(req.url));
  const roles = await listRoles(db, principal!.actor, {
    unitId: pathId(params.location_id), userId: pathId(params.user_id), kind: "LOCATION", scope: "unit", includePermissions: include,
  });
  return { data: roles.map((r) => toRole(r, include)), meta: {} };
});

/** Seed 000 #6: the user's role, staff id and permission values at the location. */
export const companyUserPermissionsGET = seed000Route<LocationUser>({}, async ({ db, principal, params }) => {
  const access = await getUnitAccess(db, principal!.actor, { unitId: pathId(params.location_id), userId: pathId(params.user_id), kind: "LOCATION", requireAccess: true });
  return { data: toUserPermissions(access), meta: {} };
});

/** Seed 000 #7: all-or-nothing update; rights not listed keep their values. */
export const companyUserPermissionsPUT = seed000Route<LocationUser>({ body: true }, async ({ db, principal, params, body }) => {
  const unitId = pathId(params.location_id);
  const userId = pathId(params.user_id);
  const b = parseBody(ZPutPermissionsBody, body);
  const access = await withWireNames(() =>
    updateUnitAccess(db, principal!.actor, {
      unitId, userId, kind: "LOCATION", permissions: b.user_permissions,
      ...(b.user_role ? { role: b.user_role } : {}),
      ...(b.staff_id !== undefined ? { staffId: b.staff_id } : {}),
    }),
  );
  return { data: toUserPermissions(access), meta: {} };
});

/** Seed 000 #9: copies an active user's role and permissions to many locations; all-or-nothing; `?dry_run=1`. */
export const companyUserCopyPOST = seed000Route<LocationUser>({ body: true }, async ({ req, db, principal, params, body }) => {
  const unitId = pathId(params.location_id);
  const userId = pathId(params.user_id);
  const dryRun = dryRunFlag(new URL(req.url));
  const b = parseBody(ZCopyBody, body);
  const out = await withWireNames(() =>
    copyToUnits(db, principal!.actor, {
      unitId, userId, kind: "LOCATION", dryRun,
      links: b.user_company_links.map((l) => ({ unitId: l.company_id, ...(l.user_permissions ? { permissions: l.user_permissions } : {}) })),
    }),
  );
  return { data: null, meta: toBatchMeta(out) };
});

/** Seed 000 #10: removes the user from many locations; all-or-nothing; `?dry_run=1`. */
export const companyUserRemovePOST = seed000Route<LocationUser>({ body: true }, async ({ req, db, principal, params, body }) => {
  const unitId = pathId(params.location_id);
  const userId = pathId(params.user_id);
  const dryRun = dryRunFlag(new URL(req.url));
  const b = parseBody(ZRemoveBody, body);
  const out = await withWireNames(() =>
    removeFromUnits(db, principal!.actor, { unitId, userId, kind: "LOCATION", dryRun, links: b.user_company_links.map((l) => ({ unitId: l.company_id })) }),
  );
  return { data: null, meta: toBatchMeta(out) };
});
