/**
 * An integrator files a join request for a person (POST /api/v1/tenants/members/request): only a partner token acting
 * as itself may (a person's token, or a partner acting as a user, is FORBIDDEN: people ask for themselves on
 * /join/[tenant]). The tenant is the token's and its join policy applies. A person without an account gets a user row
 * without a password, as an invitation does; they set one later through an invitation or the sign-up flow.
 */
import type { Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZCreateJoinRequestOnBehalfInput, type TCreateJoinRequestOnBehalfInput, type TJoinRequest } from "./join-requests.schema.ts";
import { fileJoinRequest, findRequestableTenant, withPendingConflict } from "./request-record.ts";

export async function createJoinRequestOnBehalf(db: Db, actor: Actor, input: TCreateJoinRequestOnBehalfInput): Promise<TJoinRequest> {
  if (actor.kind !== "token" || actor.userId !== null) {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. Only a partner token may file a join request on someone's behalf." });
  }
  const data = parseInput(ZCreateJoinRequestOnBehalfInput, input);
  const tenant = await findRequestableTenant(db, { id: actor.tenantId });
  return withPendingConflict(() =>
    db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: data.email }, select: { id: true, disabledAt: true } });
      if (existing?.disabledAt) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "This account is disabled and cannot ask to join." });
      const user = existing ?? (await tx.user.create({ data: { email: data.email }, select: { id: true } }));
      return fileJoinRequest(tx, tenant, { userId: user.id, message: data.message, actor, via: "partner" });
    }),
  );
}
