import { z } from "zod";
import {
  MAX_BATCH, ZBatchOutput, ZUnitAccess, ZValueInput,
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
      links: z.array(z.strictObject({ unitId: ZId, permissions: z.array(ZValueInput).max(MAX_BATCH).optional() })).min(1).max(MAX_BATCH),
    }))
    .output(ZBatchOutput)
    .mutation(({ ctx, input }) => copyToUnits(ctx.db, ctx.actor, strip(input))),
  removeFromUnits: tenantProcedure
    .input(withTenant({ unitId: ZId, userId: ZId, dryRun: z.boolean().optional(), links: z.array(z.strictObject({ unitId: ZId })).min(1).max(MAX_BATCH) }))
    .output(ZBatchOutput)
    .mutation(({ ctx, input }) => removeFromUnits(ctx.db, ctx.actor, strip(input))),
});
