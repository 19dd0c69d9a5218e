import { z } from "zod";
import { getCurrentTenant } from "../../services/tenants/get-current-tenant.ts";
import { getTenantOverview } from "../../services/tenants/get-tenant-overview.ts";
import { listMyTenants } from "../../services/tenants/list-my-tenants.ts";
import { ZCurrentTenant, ZMyTenant, ZTenantOverview } from "../../services/tenants/tenants.schema.ts";
import { router } from "../init.ts";
import { authedProcedure, tenantProcedure, withTenant } from "../procedures.ts";

export const tenantsRouter = router({
  list: authedProcedure.output(z.array(ZMyTenant)).query(({ ctx }) => listMyTenants(ctx.db, ctx.userId)),
  current: tenantProcedure.input(withTenant()).output(ZCurrentTenant).query(({ ctx }) => getCurrentTenant(ctx.db, ctx.actor)),
  overview: tenantProcedure.input(withTenant()).output(ZTenantOverview).query(({ ctx }) => getTenantOverview(ctx.db, ctx.actor)),
});
