/**
 * Procedure ladder: public → authed (a live session) → tenant (a member of the tenant the input names; the actor
 * carries the tenant from here on). A non-member and an unknown tenant get the same NOT_FOUND.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { loadMemberActor } from "../authz/actor.ts";
import { ZTenantSlug } from "../services/tenants/tenants.schema.ts";
import { publicProcedure } from "./init.ts";

export { publicProcedure };

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const userId = ctx.session?.user?.id;
  if (!userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, userId } });
});

const ZTenantRef = z.object({ tenant: z.string() });

export const tenantProcedure = authedProcedure.use(async ({ ctx, next, getRawInput }) => {
  const parsed = ZTenantRef.safeParse(await getRawInput());
  const slug = parsed.success ? ZTenantSlug.safeParse(parsed.data.tenant) : null;
  if (!slug?.success) throw new TRPCError({ code: "NOT_FOUND", message: "Tenant not found." });
  const actor = await loadMemberActor(ctx.db, { userId: ctx.userId, tenantSlug: slug.data }, ctx.meta);
  return next({ ctx: { ...ctx, actor } });
});

/** A tenant procedure's input: the procedure's own strict fields plus the tenant slug the route names. */
export function withTenant<S extends z.ZodRawShape>(shape: S = {} as S) {
  return z.strictObject({ tenant: z.string(), ...shape });
}
