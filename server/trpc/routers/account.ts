import { z } from "zod";
import {
  ZConfirmTwoFactorInput, ZMe, ZReauthenticateInput, ZRecoveryCodesOutput, ZRevokeSessionInput, ZSessionInfo, ZStartTwoFactorOutput, ZTwoFactorStatus,
} from "../../services/account/account.schema.ts";
import { disableTwoFactor } from "../../services/account/disable-two-factor.ts";
import { enableTwoFactor } from "../../services/account/enable-two-factor.ts";
import { getMe } from "../../services/account/get-me.ts";
import { getTwoFactorStatus } from "../../services/account/get-two-factor-status.ts";
import { reauthenticate } from "../../services/account/reauthenticate.ts";
import { regenerateRecoveryCodes } from "../../services/account/regenerate-recovery-codes.ts";
import type { AccountSelf } from "../../services/account/self.ts";
import { startTwoFactor } from "../../services/account/start-two-factor.ts";
import { listSessions } from "../../services/account/list-sessions.ts";
import { revokeOtherSessions, revokeSession } from "../../services/account/revoke-sessions.ts";
import {
  ZChangePasswordInput, ZChangePasswordOutput, ZEmailRequestInput, ZNeutralOutput, ZResendVerificationOutput, ZResetPasswordInput,
  ZResetPasswordOutput, ZResetTokenInput, ZResetTokenState, ZVerifyEmailInput, ZVerifyEmailOutput,
} from "../../services/account/account.schema.ts";
import { changePassword } from "../../services/account/change-password.ts";
import { requestPasswordReset } from "../../services/account/request-password-reset.ts";
import { requestVerificationEmail, resendVerificationEmail } from "../../services/account/request-verification-email.ts";
import { checkResetToken, resetPassword } from "../../services/account/reset-password.ts";
import { ZUpdateProfileInput } from "../../services/account/profile.schema.ts";
import { updateOwnProfile } from "../../services/account/update-own-profile.ts";
import { removeOwnAvatar } from "../../services/account/avatar.ts";
import { verifyEmail } from "../../services/account/verify-email.ts";
import { router } from "../init.ts";
import { authedProcedure, publicProcedure } from "../procedures.ts";

const self = (ctx: {
  userId: number;
  reauthAt: Date | null;
  session: { sessionId: number } | null;
  meta: import("../../authz/actor.ts").RequestMeta;
}): AccountSelf => ({
  kind: "user",
  userId: ctx.userId,
  sessionId: ctx.session?.sessionId ?? 0,
  reauthAt: ctx.reauthAt,
  meta: ctx.meta,
});

export const accountRouter = router({
  // Email verification, password reset and change (server/services/account/; tokens in server/auth/account-tokens.ts).
  // The anonymous ones answer alike for every address; link tokens travel in POST bodies, never in tRPC URLs.
  verifyEmail: publicProcedure.input(ZVerifyEmailInput).output(ZVerifyEmailOutput).mutation(({ ctx, input }) => verifyEmail(ctx.db, input, ctx.meta)),
  requestVerificationEmail: publicProcedure
    .input(ZEmailRequestInput)
    .output(ZNeutralOutput)
    .mutation(({ ctx, input }) => requestVerificationEmail(ctx.db, input, ctx.meta)),
  resendVerificationEmail: authedProcedure.output(ZResendVerificationOutput).mutation(({ ctx }) => resendVerificationEmail(ctx.db, { userId: ctx.userId })),
  requestPasswordReset: publicProcedure
    .input(ZEmailRequestInput)
    .output(ZNeutralOutput)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.db, input, ctx.meta)),
  checkResetToken: publicProcedure.input(ZResetTokenInput).output(ZResetTokenState).mutation(({ ctx, input }) => checkResetToken(ctx.db, input)),
  resetPassword: publicProcedure.input(ZResetPasswordInput).output(ZResetPasswordOutput).mutation(({ ctx, input }) => resetPassword(ctx.db, input, ctx.meta)),
  changePassword: authedProcedure
    .input(ZChangePasswordInput)
    .output(ZChangePasswordOutput)
    .mutation(({ ctx, input }) => changePassword(ctx.db, self(ctx), input)),
  me: authedProcedure.output(ZMe).query(({ ctx }) => getMe(ctx.db, ctx.userId)),
  // Uploads are not tRPC calls (binary, up to 2 MB): POST /account/avatar (server/http/avatars.ts).
  removeAvatar: authedProcedure.output(z.object({ removed: z.boolean() })).mutation(({ ctx }) => removeOwnAvatar(ctx.db, self(ctx))),
  updateProfile: authedProcedure.input(ZUpdateProfileInput).output(ZMe).mutation(({ ctx, input }) => updateOwnProfile(ctx.db, self(ctx), input)),
  sessions: authedProcedure.output(z.array(ZSessionInfo)).query(({ ctx }) => listSessions(ctx.db, self(ctx))),
  revokeSession: authedProcedure.input(ZRevokeSessionInput).mutation(({ ctx, input }) => revokeSession(ctx.db, self(ctx), input)),
  revokeOtherSessions: authedProcedure
    .output(z.object({ revoked: z.number().int() }))
    .mutation(({ ctx }) => revokeOtherSessions(ctx.db, self(ctx))),
  /** Enter the password (or a code) again; opens the window for sensitive changes. Then rotate the cookie. */
  reauthenticate: authedProcedure
    .input(ZReauthenticateInput)
    .output(z.object({ reauthAt: z.date() }))
    .mutation(({ ctx, input }) => reauthenticate(ctx.db, self(ctx), input)),
  twoFactor: authedProcedure.output(ZTwoFactorStatus).query(({ ctx }) => getTwoFactorStatus(ctx.db, self(ctx))),
  startTwoFactor: authedProcedure.output(ZStartTwoFactorOutput).mutation(({ ctx }) => startTwoFactor(ctx.db, self(ctx))),
  enableTwoFactor: authedProcedure
    .input(ZConfirmTwoFactorInput)
    .output(ZRecoveryCodesOutput)
    .mutation(({ ctx, input }) => enableTwoFactor(ctx.db, self(ctx), input)),
  disableTwoFactor: authedProcedure.mutation(({ ctx }) => disableTwoFactor(ctx.db, self(ctx))),
  regenerateRecoveryCodes: authedProcedure.output(ZRecoveryCodesOutput).mutation(({ ctx }) => regenerateRecoveryCodes(ctx.db, self(ctx))),
});
