import { getTenantSettings } from "../../services/settings/get-tenant-settings.ts";
import { ZJoinPolicy, ZTenantSettings } from "../../services/settings/settings.schema.ts";
import { updateTenantSettings } from "../../services/settings/update-tenant-settings.ts";
import { z } from "zod";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

export const settingsRouter = router({
  get: tenantProcedure.input(withTenant()).output(ZTenantSettings).query(({ ctx }) => getTenantSettings(ctx.db, ctx.actor)),
  // Values are checked (ranges, origin normalisation) by the service's schema, so both doors give the same 422.
  update: tenantProcedure
    .input(withTenant({ invitationTtlDays: z.number().optional(), joinPolicy: ZJoinPolicy.optional(), allowedLinkOrigins: z.array(z.string()).optional(), requireTwoFactor: z.boolean().optional() }))
    .output(ZTenantSettings)
    .mutation(({ ctx, input: { tenant: _t, ...rest } }) => updateTenantSettings(ctx.db, ctx.actor, rest)),
});
