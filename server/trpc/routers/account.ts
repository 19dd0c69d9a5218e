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
import { router } from "../init.ts";
import { authedProcedure } from "../procedures.ts";

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
  me: authedProcedure.output(ZMe).query(({ ctx }) => getMe(ctx.db, ctx.userId)),
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
