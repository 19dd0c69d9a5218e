import { parseBody } from "@/server/rest/http.ts";
import { dryRunFlag, pathId, toBatchMeta, withWireNames, ZCopyBody } from "@/server/rest/seed000-dto.ts";
import { seed000Route } from "@/server/rest/seed000.ts";
import { copyToUnits } from "@/server/services/access/copy-to-units.ts";

type P = { location_id: string; user_id: string };

/** Seed 000 #9: copies an active user's role and permissions to many locations; all-or-nothing; `?dry_run=1`. */
export const POST = seed000Route<P>({ body: true }, async ({ req, db, principal, params, body }) => {
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
