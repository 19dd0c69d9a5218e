/**
 * Procedure ladder: public → authed (a live session) → tenant (a member of the tenant the input names; the actor
 * carries the tenant from here on). A non-member and an unknown tenant get the same NOT_FOUND.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { actorFromMember, loadMemberRow } from "../authz/context-query.ts";
import { ZTenantSlug } from "../services/tenants/tenants.schema.ts";
import type { RequestMeta } from "../authz/actor.ts";
import type { Db } from "../db/client.ts";
import { deniedReasonOf, recordDenied } from "../security/security-log.ts";
import { middleware, publicProcedure } from "./init.ts";

export { publicProcedure };

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const userId = ctx.session?.user?.id;
  if (!userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  // When the password or a code was last entered in this session (the session callback copies it from the row).
  const reauthAt = ctx.session?.reauthAt ? new Date(ctx.session.reauthAt) : null;
  return next({ ctx: { ...ctx, userId, reauthAt } });
});

const ZTenantRef = z.object({ tenant: z.string() });

/**
 * The security log (server/security/security-log.ts): a tenant procedure refused with FORBIDDEN or NOT_FOUND leaves a
 * `security.denied` event. The inner step records it inside the tenant (it knows the actor); this outer one catches
 * the refusals before there is an actor (not a member, unknown tenant), recorded without a tenant. The per-minute
 * dedupe keeps it to one event when both see the same refusal.
 */
async function logRefusal(ctx: { db: Db; userId: number; meta: RequestMeta }, path: string, tenantId: number | null, error: TRPCError) {
  const reason = deniedReasonOf(error.cause ?? error);
  if (!reason) return;
  const actor = { kind: "user" as const, userId: ctx.userId, tokenId: null, meta: ctx.meta };
  await recordDenied(ctx.db, { actor, tenantId, route: path, reason, message: error.message });
}

const logTenantRefusals = middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok && "userId" in ctx) await logRefusal(ctx as typeof ctx & { userId: number }, path, null, result.error);
  return result;
});

export const tenantProcedure = authedProcedure.use(logTenantRefusals).use(async ({ ctx, next, getRawInput, path }) => {
  const parsed = ZTenantRef.safeParse(await getRawInput());
  const slug = parsed.success ? ZTenantSlug.safeParse(parsed.data.tenant) : null;
  if (!slug?.success) throw new TRPCError({ code: "NOT_FOUND", message: "Tenant not found." });
  // The membership came with the session in the call's context statement (init.ts); no second round trip.
  const row = ctx.memberSlug === slug.data ? ctx.member : await loadMemberRow(ctx.db, ctx.userId, { tenantSlug: slug.data });
  const actor = actorFromMember(row, ctx.userId, ctx.meta, { reauthAt: ctx.reauthAt });
  const result = await next({ ctx: { ...ctx, actor } });
  if (!result.ok) await logRefusal(ctx, path, actor.tenantId, result.error);
  return result;
});

/** A tenant procedure's input: the procedure's own strict fields plus the tenant slug the route names. */
export function withTenant<S extends z.ZodRawShape>(shape: S = {} as S) {
  return z.strictObject({ tenant: z.string(), ...shape });
}
