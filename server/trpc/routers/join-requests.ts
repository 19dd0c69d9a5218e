import { z } from "zod";
import { acceptJoinRequest } from "../../services/join-requests/accept-join-request.ts";
import { createJoinRequest } from "../../services/join-requests/create-join-request.ts";
import { denyJoinRequest } from "../../services/join-requests/deny-join-request.ts";
import { getJoinLanding } from "../../services/join-requests/get-join-landing.ts";
import { ZJoinLanding, ZJoinRequest, ZJoinRequestId, ZSignUpForJoinOutput } from "../../services/join-requests/join-requests.schema.ts";
import { listPendingJoinRequests } from "../../services/join-requests/list-pending-join-requests.ts";
import { signUpForJoin } from "../../services/join-requests/sign-up-for-join.ts";
import { ZMember } from "../../services/members/members.schema.ts";
import { router } from "../init.ts";
import { authedProcedure, publicProcedure, tenantProcedure, withTenant } from "../procedures.ts";

export const joinRequestsRouter = router({
  /** Public: what /join/[tenant] shows (the same "closed" for unknown and CLOSED tenants). */
  landing: publicProcedure
    .input(z.strictObject({ tenant: z.string().max(200) }))
    .output(ZJoinLanding)
    .query(({ ctx, input }) => getJoinLanding(ctx.db, { tenantSlug: input.tenant, userId: ctx.session?.user?.id ?? null })),
  /** Signed in, not (yet) a member: the tenant is the one being asked, not the actor's. */
  create: authedProcedure
    .input(z.strictObject({ tenant: z.string(), message: z.string().nullish() }))
    .output(ZJoinRequest)
    .mutation(({ ctx, input }) => createJoinRequest(ctx.db, { userId: ctx.userId, tenantSlug: input.tenant, message: input.message ?? null }, ctx.meta)),
  /** Public: sign up and ask, only for tenants whose join policy is OPEN; rate-limited per email. */
  signUp: publicProcedure
    .input(z.strictObject({ tenant: z.string(), email: z.string(), password: z.string(), firstName: z.string(), lastName: z.string(), message: z.string().nullish() }))
    .output(ZSignUpForJoinOutput)
    .mutation(({ ctx, input: { tenant, ...rest } }) => signUpForJoin(ctx.db, { tenantSlug: tenant, ...rest }, ctx.meta)),
  listPending: tenantProcedure.input(withTenant()).output(z.array(ZJoinRequest)).query(({ ctx }) => listPendingJoinRequests(ctx.db, ctx.actor)),
  accept: tenantProcedure
    .input(withTenant({ id: ZJoinRequestId, role: z.string().optional(), unitIds: z.array(z.number()).optional() }))
    .output(z.object({ request: ZJoinRequest, member: ZMember }))
    .mutation(({ ctx, input }) =>
      acceptJoinRequest(ctx.db, ctx.actor, { ref: { id: input.id }, ...(input.role ? { role: input.role } : {}), ...(input.unitIds ? { unitIds: input.unitIds } : {}) }),
    ),
  deny: tenantProcedure
    .input(withTenant({ id: ZJoinRequestId }))
    .output(ZJoinRequest)
    .mutation(({ ctx, input }) => denyJoinRequest(ctx.db, ctx.actor, { ref: { id: input.id } })),
});
