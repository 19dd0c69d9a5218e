import { z } from "zod";
import {
  MAX_BATCH, ZBatchOutput, ZUnitAccess, ZValueInput, type TBatchOutput, type TCopyToUnitsInput, type TRemoveFromUnitsInput,
} from "../../services/access/access.schema.ts";
import { copyToUnits } from "../../services/access/copy-to-units.ts";
import { getUnitAccess } from "../../services/access/get-unit-access.ts";
import { removeFromUnit } from "../../services/access/remove-from-unit.ts";
import { removeFromUnits } from "../../services/access/remove-from-units.ts";
import { updateUnitAccess } from "../../services/access/update-unit-access.ts";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

const ZId = z.number().int().positive();
const strip = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;

/**
 * The batch procedures take up to 1,000 links and answer one result per unit. Their links are validated by the
 * service (zod, strict, with each field's path, as for every transport), so here they only keep their type; and
 * the results, built by the service as { unitId, result } literals, are not walked again on the way out. Validating
 * both here as well cost about 4 ms per call at 1,000 units, more than the statement that does the work.
 */
const ZLinksOf = <T>() => z.custom<T>();
const ZBatchAnswer = ZBatchOutput.extend({ results: z.custom<TBatchOutput["results"]>() });

export const accessRouter = router({
  get: tenantProcedure
    .input(withTenant({ unitId: ZId, userId: ZId }))
    .output(ZUnitAccess)
    .query(({ ctx, input }) => getUnitAccess(ctx.db, ctx.actor, strip(input))),
  update: tenantProcedure
    .input(withTenant({ unitId: ZId, userId: ZId, role: z.string().optional(), permissions: z.array(ZValueInput).max(MAX_BATCH).optional(), staffId: ZId.nullable().optional() }))
    .output(ZUnitAccess)
    .mutation(({ ctx, input }) => updateUnitAccess(ctx.db, ctx.actor, strip(input))),
  removeFromUnit: tenantProcedure
    .input(withTenant({ unitId: ZId, userId: ZId }))
    .output(z.object({ unitId: z.number(), userId: z.number() }))
    .mutation(({ ctx, input }) => removeFromUnit(ctx.db, ctx.actor, strip(input))),
  copyToUnits: tenantProcedure
    .input(withTenant({
      unitId: ZId, userId: ZId, dryRun: z.boolean().optional(),
      links: ZLinksOf<TCopyToUnitsInput["links"]>(),
    }))
    .output(ZBatchAnswer)
    .mutation(({ ctx, input }) => copyToUnits(ctx.db, ctx.actor, strip(input))),
  removeFromUnits: tenantProcedure
    .input(withTenant({ unitId: ZId, userId: ZId, dryRun: z.boolean().optional(), links: ZLinksOf<TRemoveFromUnitsInput["links"]>() }))
    .output(ZBatchAnswer)
    .mutation(({ ctx, input }) => removeFromUnits(ctx.db, ctx.actor, strip(input))),
});
