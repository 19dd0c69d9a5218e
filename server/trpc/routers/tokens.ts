import { z } from "zod";
import { createApiToken } from "../../services/tokens/create-api-token.ts";
import { listApiTokens } from "../../services/tokens/list-api-tokens.ts";
import { revokeApiToken } from "../../services/tokens/revoke-api-token.ts";
import {
  ZApiTokenListItem, ZCreateApiTokenInput, ZCreateApiTokenOutput, ZRevokeApiTokenInput, ZRevokeApiTokenOutput,
} from "../../services/tokens/tokens.schema.ts";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

const strip = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;

export const tokensRouter = router({
  list: tenantProcedure
    .input(withTenant())
    .output(z.array(ZApiTokenListItem))
    .query(({ ctx }) => listApiTokens(ctx.db, ctx.actor)),
  create: tenantProcedure
    .input(withTenant(ZCreateApiTokenInput.shape))
    .output(ZCreateApiTokenOutput)
    .mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.actor, strip(input))),
  revoke: tenantProcedure
    .input(withTenant(ZRevokeApiTokenInput.shape))
    .output(ZRevokeApiTokenOutput)
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.actor, strip(input))),
});
