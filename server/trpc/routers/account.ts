import { z } from "zod";
import { ZMe, ZRevokeSessionInput, ZSessionInfo } from "../../services/account/account.schema.ts";
import { getMe } from "../../services/account/get-me.ts";
import { listSessions } from "../../services/account/list-sessions.ts";
import { revokeOtherSessions, revokeSession } from "../../services/account/revoke-sessions.ts";
import { router } from "../init.ts";
import { authedProcedure } from "../procedures.ts";

const self = (ctx: { userId: number; session: { sessionId: number } | null; meta: import("../../authz/actor.ts").RequestMeta }) => ({
  userId: ctx.userId,
  sessionId: ctx.session?.sessionId ?? 0,
  meta: ctx.meta,
});

export const accountRouter = router({
  me: authedProcedure.output(ZMe).query(({ ctx }) => getMe(ctx.db, ctx.userId)),
  sessions: authedProcedure.output(z.array(ZSessionInfo)).query(({ ctx }) => listSessions(ctx.db, self(ctx))),
  revokeSession: authedProcedure.input(ZRevokeSessionInput).mutation(({ ctx, input }) => revokeSession(ctx.db, self(ctx), input)),
  revokeOtherSessions: authedProcedure
    .output(z.object({ revoked: z.number().int() }))
    .mutation(({ ctx }) => revokeOtherSessions(ctx.db, self(ctx))),
});
