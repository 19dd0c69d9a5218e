import { includesPermissions, pathId, toRole } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { listRoles } from "@/server/services/roles/list-roles.ts";

type P = { location_id: string };

/** Seed 000 #4: the roles a user can have at the location; `include=user_permissions` adds the permission tree. */
export const GET = seed000Route<P>({}, async ({ req, db, principal, params }) => {
  const include = includesPermissions(new URL(req.url));
  const roles = await listRoles(db, principal!.actor, { unitId: pathId(params.location_id), kind: "LOCATION", scope: "unit", includePermissions: include });
  return { data: roles.map((r) => toRole(r, include)), meta: {} };
});
