import { z } from "zod";
import { ZValueInput } from "../../services/access/access.schema.ts";
import { createRight } from "../../services/roles/create-right.ts";
import { createRole } from "../../services/roles/create-role.ts";
import { deleteRole } from "../../services/roles/delete-role.ts";
import { listRoles } from "../../services/roles/list-roles.ts";
import { ZRightOut, ZRoleOut, ZRoleSummary } from "../../services/roles/roles.schema.ts";
import { updateRole } from "../../services/roles/update-role.ts";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

const strip = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;
const ZDefaults = z.array(ZValueInput).max(1000).optional();

export const rolesRouter = router({
  list: tenantProcedure
    .input(withTenant({ includePermissions: z.boolean().optional(), scope: z.enum(["unit", "all"]).optional(), unitId: z.number().int().positive().optional(), userId: z.number().int().positive().optional() }))
    .output(z.array(ZRoleOut))
    .query(({ ctx, input }) => listRoles(ctx.db, ctx.actor, strip(input))),
  create: tenantProcedure
    .input(withTenant({ slug: z.string(), title: z.string(), description: z.string().optional(), weight: z.number().int(), defaults: ZDefaults }))
    .output(ZRoleSummary)
    .mutation(({ ctx, input }) => createRole(ctx.db, ctx.actor, strip(input))),
  update: tenantProcedure
    .input(withTenant({ slug: z.string(), title: z.string().optional(), description: z.string().optional(), weight: z.number().int().optional(), defaults: ZDefaults }))
    .output(ZRoleSummary)
    .mutation(({ ctx, input }) => updateRole(ctx.db, ctx.actor, strip(input))),
  delete: tenantProcedure
    .input(withTenant({ slug: z.string() }))
    .output(z.object({ slug: z.string() }))
    .mutation(({ ctx, input }) => deleteRole(ctx.db, ctx.actor, strip(input))),
  createRight: tenantProcedure
    .input(withTenant({
      slug: z.string(), category: z.string(), title: z.string(), description: z.string().optional(),
      type: z.enum(["BOOLEAN", "INTEGER", "ENTITY_ID", "ID_LIST"]), defaultValue: z.union([z.boolean(), z.number(), z.array(z.number()), z.null()]),
      scope: z.enum(["TENANT", "UNIT"]).optional(),
    }))
    .output(ZRightOut)
    .mutation(({ ctx, input }) => createRight(ctx.db, ctx.actor, strip(input))),
});
