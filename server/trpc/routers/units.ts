import { z } from "zod";
import { createUnit } from "../../services/units/create-unit.ts";
import { listUnitUsers } from "../../services/units/list-unit-users.ts";
import { listUnits } from "../../services/units/list-units.ts";
import { renameUnit } from "../../services/units/rename-unit.ts";
import { archiveUnit, restoreUnit } from "../../services/units/set-unit-archived.ts";
import { ZUnit, ZUnitKind, ZUnitListItem, ZUnitUser } from "../../services/units/units.schema.ts";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

const ZUnitId = z.number().int().positive();
const strip = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;

export const unitsRouter = router({
  list: tenantProcedure
    .input(withTenant({ kind: ZUnitKind.optional(), includeArchived: z.boolean().optional() }))
    .output(z.array(ZUnitListItem))
    .query(({ ctx, input }) => listUnits(ctx.db, ctx.actor, strip(input))),
  users: tenantProcedure
    .input(withTenant({ unitId: ZUnitId, approved: z.boolean().optional() }))
    .output(z.array(ZUnitUser))
    .query(({ ctx, input }) => listUnitUsers(ctx.db, ctx.actor, strip(input))),
  create: tenantProcedure
    .input(withTenant({ name: z.string(), kind: ZUnitKind }))
    .output(ZUnit)
    .mutation(({ ctx, input }) => createUnit(ctx.db, ctx.actor, strip(input))),
  rename: tenantProcedure
    .input(withTenant({ unitId: ZUnitId, name: z.string() }))
    .output(ZUnit)
    .mutation(({ ctx, input }) => renameUnit(ctx.db, ctx.actor, strip(input))),
  archive: tenantProcedure
    .input(withTenant({ unitId: ZUnitId }))
    .output(ZUnit)
    .mutation(({ ctx, input }) => archiveUnit(ctx.db, ctx.actor, strip(input))),
  restore: tenantProcedure
    .input(withTenant({ unitId: ZUnitId }))
    .output(ZUnit)
    .mutation(({ ctx, input }) => restoreUnit(ctx.db, ctx.actor, strip(input))),
});
