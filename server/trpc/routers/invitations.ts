/** Invitations: thin procedures over server/services/invitations (admin side per tenant; invitee side signed in). */
import { z } from "zod";
import { acceptInvitation } from "../../services/invitations/accept-invitation.ts";
import { acceptMyInvitation } from "../../services/invitations/accept-my-invitation.ts";
import { cancelInvitation } from "../../services/invitations/cancel-invitation.ts";
import { createInvitation, createInvitations } from "../../services/invitations/create-invitation.ts";
import { declineInvitation } from "../../services/invitations/decline-invitation.ts";
import { declineMyInvitation } from "../../services/invitations/decline-my-invitation.ts";
import { inviteEmails } from "../../services/invitations/invite-emails.ts";
import {
  ZAcceptInvitationOutput, ZCreateInvitationOutput, ZCreateInvitationsOutput, ZInvitation, ZInvitationPreview, ZListPendingInvitationsOutput,
  ZInviteEmailsOutput, ZResendInvitationOutput, type TCreateInvitationInput, type TCreateInvitationsInput, type TInviteEmailsInput,
} from "../../services/invitations/invitations.schema.ts";
import { listMyInvitations, ZMyInvitationsOutput } from "../../services/invitations/list-my-invitations.ts";
import { listPendingInvitations } from "../../services/invitations/list-pending-invitations.ts";
import { previewInvitation } from "../../services/invitations/preview-invitation.ts";
import { resendInvitation } from "../../services/invitations/resend-invitation.ts";
import { guardInviteLookup } from "../../security/invite-token-guard.ts";
import { router } from "../init.ts";
import { authedProcedure, publicProcedure, tenantProcedure, withTenant } from "../procedures.ts";

// The transport declares loose shapes and strips `tenant`; each service parses its own strict schema again.
const without = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;
const loose = z.unknown();
const ref = z.union([z.strictObject({ id: z.number() }), z.strictObject({ email: z.string() }), z.strictObject({ phone: z.string() })]);
const token = z.strictObject({ rawToken: z.string().max(200) });
const byId = z.strictObject({ id: z.number() });
// A loose object silently drops an own `__proto__` key (a JSON body can carry one), so the service's strict schema
// never sees it; refuse it here like every strict schema refuses an unknown key.
const ownProto = (v: unknown) => typeof v === "object" && v !== null && Object.prototype.hasOwnProperty.call(v, "__proto__");
const looseWithTenant = z.custom<unknown>((v) => !ownProto(v), { message: 'unknown key "__proto__"' }).pipe(z.looseObject({ tenant: z.string() }));

export const invitationsRouter = router({
  create: tenantProcedure
    .input(looseWithTenant)
    .output(ZCreateInvitationOutput)
    .mutation(({ ctx, input }) => createInvitation(ctx.db, ctx.actor, without(input) as TCreateInvitationInput)),
  createMany: tenantProcedure
    .input(withTenant({ items: z.array(loose).max(1000) }))
    .output(ZCreateInvitationsOutput)
    .mutation(({ ctx, input }) => createInvitations(ctx.db, ctx.actor, without(input) as TCreateInvitationsInput)),
  // The admin app's paste form: one outcome per address (server/services/invitations/invite-emails.ts says why).
  inviteEmails: tenantProcedure
    .input(looseWithTenant)
    .output(ZInviteEmailsOutput)
    .mutation(({ ctx, input }) => inviteEmails(ctx.db, ctx.actor, without(input) as TInviteEmailsInput)),
  resend: tenantProcedure
    .input(withTenant({ ref, verificationBaseUrl: z.string().optional() }))
    .output(ZResendInvitationOutput)
    .mutation(({ ctx, input }) => resendInvitation(ctx.db, ctx.actor, without(input))),
  cancel: tenantProcedure
    .input(withTenant({ ref }))
    .output(ZInvitation)
    .mutation(({ ctx, input }) => cancelInvitation(ctx.db, ctx.actor, without(input))),
  listPending: tenantProcedure
    .input(withTenant({ kind: z.enum(["MEMBER", "CLIENT"]).optional(), includeExpired: z.boolean().optional() }))
    .output(ZListPendingInvitationsOutput)
    .query(({ ctx, input }) => listPendingInvitations(ctx.db, ctx.actor, without(input))),
  preview: publicProcedure
    .input(token)
    .output(ZInvitationPreview.nullable())
    .query(({ ctx, input }) => guardInviteLookup(ctx.db, ctx.meta.ip, () => previewInvitation(ctx.db, input.rawToken))),
  accept: authedProcedure
    .input(token)
    .output(ZAcceptInvitationOutput)
    .mutation(({ ctx, input }) => guardInviteLookup(ctx.db, ctx.meta.ip, () => acceptInvitation(ctx.db, { userId: ctx.userId, rawToken: input.rawToken }, ctx.meta))),
  decline: authedProcedure
    .input(token)
    .output(z.object({ tenantSlug: z.string() }))
    .mutation(({ ctx, input }) => guardInviteLookup(ctx.db, ctx.meta.ip, () => declineInvitation(ctx.db, { userId: ctx.userId, rawToken: input.rawToken }, ctx.meta))),
  // The signed-in user's own invitations from any tenant (account page); by id, with the link's accept rules.
  mine: authedProcedure
    .output(ZMyInvitationsOutput)
    .query(({ ctx }) => listMyInvitations(ctx.db, { userId: ctx.userId })),
  acceptMine: authedProcedure
    .input(byId)
    .output(ZAcceptInvitationOutput)
    .mutation(({ ctx, input }) => acceptMyInvitation(ctx.db, { userId: ctx.userId, id: input.id }, ctx.meta)),
  declineMine: authedProcedure
    .input(byId)
    .output(z.object({ tenantSlug: z.string() }))
    .mutation(({ ctx, input }) => declineMyInvitation(ctx.db, { userId: ctx.userId, id: input.id }, ctx.meta)),
});
