/**
 * A signed-in person asks to join a tenant (from /join/[tenant]). Not a member yet, so there is no tenant actor:
 * authorization is the tenant's join policy (unknown, CLOSED or suspended → the same FORBIDDEN), then the
 * conflicts (already a member, a request already pending → CONFLICT).
 */
import type { RequestMeta } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZCreateJoinRequestInput, type TCreateJoinRequestInput, type TJoinRequest } from "./join-requests.schema.ts";
import { fileJoinRequest, findRequestableTenant, userAuditActor, withPendingConflict } from "./request-record.ts";

export async function createJoinRequest(
  db: Db,
  input: { userId: number } & TCreateJoinRequestInput,
  meta: RequestMeta | null = null,
): Promise<TJoinRequest> {
  const { userId, ...rest } = input;
  const data = parseInput(ZCreateJoinRequestInput, rest);
  const tenant = await findRequestableTenant(db, { slug: data.tenantSlug });
  const user = await db.user.findUnique({ where: { id: userId }, select: { disabledAt: true } });
  if (!user || user.disabledAt) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  return withPendingConflict(() =>
    db.$transaction((tx) => fileJoinRequest(tx, tenant, { userId, message: data.message, actor: userAuditActor(userId, meta), via: "landing" })),
  );
}
