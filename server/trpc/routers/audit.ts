import { z } from "zod";
import { listAuditEvents } from "../../services/audit/list-audit-events.ts";
import { searchAuditActors } from "../../services/audit/search-audit-actors.ts";
import { ZAuditActorSuggestion, ZListAuditEventsInput, ZListAuditEventsOutput, ZSearchAuditActorsInput } from "../../services/audit/audit.schema.ts";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

const strip = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;

export const auditRouter = router({
  list: tenantProcedure
    .input(withTenant(ZListAuditEventsInput.shape))
    .output(ZListAuditEventsOutput)
    .query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.actor, strip(input))),
  actors: tenantProcedure
    .input(withTenant(ZSearchAuditActorsInput.shape))
    .output(z.array(ZAuditActorSuggestion))
    .query(({ ctx, input }) => searchAuditActors(ctx.db, ctx.actor, strip(input))),
});
