/**
 * Denies a pending join request (requests.manage): one conditional update to DENIED, the audit event and the
 * requester's email in one transaction. The person may ask again later.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { joinRequestDeniedEmail, queueEmail } from "../../email/index.ts";
import { parseInput } from "../parse.ts";
import { ZDenyJoinRequestInput, type TDenyJoinRequestInput, type TJoinRequest } from "./join-requests.schema.ts";
import { decide, findPendingRequest } from "./request-record.ts";

export async function denyJoinRequest(db: Db, actor: Actor, input: TDenyJoinRequestInput): Promise<TJoinRequest> {
  assertCan(actor, "requests.manage");
  const data = parseInput(ZDenyJoinRequestInput, input);
  return db.$transaction(async (tx) => {
    const request = await findPendingRequest(tx, actor.tenantId, data.ref);
    const decidedAt = await decide(tx, request, "DENIED", actor.userId);
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "join_request.denied", targetType: "join_request", targetId: request.id,
      before: { status: "PENDING" }, after: { status: "DENIED", userId: request.user.id, email: request.user.email },
    });
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { name: true } });
    await queueEmail(tx, {
      ...(await joinRequestDeniedEmail({ tenantName: tenant.name })),
      to: request.user.email, kind: "join_request_denied", tenantId: actor.tenantId, refType: "join_request", refId: String(request.id),
    });
    return { ...request, status: "DENIED", decidedAt };
  });
}
