import { listAuditEvents } from "../../services/audit/list-audit-events.ts";
import { ZListAuditEventsInput, ZListAuditEventsOutput } from "../../services/audit/audit.schema.ts";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

const strip = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;

export const auditRouter = router({
  list: tenantProcedure
    .input(withTenant(ZListAuditEventsInput.shape))
    .output(ZListAuditEventsOutput)
    .query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.actor, strip(input))),
});
