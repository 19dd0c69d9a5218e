import { parseBody } from "@/server/rest/http.ts";
import { pathId, toUserPermissions, withWireNames, ZPutPermissionsBody } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { getUnitAccess } from "@/server/services/access/get-unit-access.ts";
import { updateUnitAccess } from "@/server/services/access/update-unit-access.ts";

type P = { location_id: string; user_id: string };

/** Seed 000 #6: the user's role, staff id and permission values at the location. */
export const GET = seed000Route<P>({}, async ({ db, principal, params }) => {
  const access = await getUnitAccess(db, principal!.actor, { unitId: pathId(params.location_id), userId: pathId(params.user_id), kind: "LOCATION", requireAccess: true });
  return { data: toUserPermissions(access), meta: {} };
});

/** Seed 000 #7: all-or-nothing update; rights not listed keep their values. */
export const PUT = seed000Route<P>({ body: true }, async ({ db, principal, params, body }) => {
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
