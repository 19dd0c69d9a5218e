/**
 * Seed 003's pending inbox: invitations (members and client users) and join requests in one answer. Each part needs
 * its own permission; a caller sees the parts it may see, and a caller who may see neither is refused.
 */
import { can, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import type { TPendingInvitation } from "../invitations/invitations.schema.ts";
import { listPendingInvitations } from "../invitations/list-pending-invitations.ts";
import type { TJoinRequest } from "../join-requests/join-requests.schema.ts";
import { listPendingJoinRequests } from "../join-requests/list-pending-join-requests.ts";

export async function listPending(db: Db, actor: Actor): Promise<{ invites: TPendingInvitation[]; clientInvites: TPendingInvitation[]; requests: TJoinRequest[] }> {
  const seeInvites = can(actor, "members.invite") || can(actor, "members.read");
  const seeRequests = can(actor, "requests.manage");
  if (!seeInvites && !seeRequests) {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      userMessage: actor.kind === "token" ? "Access denied. Missing permission: members.invite" : "Access denied.",
    });
  }
  const invitations = seeInvites ? (await listPendingInvitations(db, actor, {})).invitations : [];
  const requests = seeRequests ? await listPendingJoinRequests(db, actor) : [];
  return {
    invites: invitations.filter((i) => i.kind === "MEMBER"),
    clientInvites: invitations.filter((i) => i.kind === "CLIENT"),
    requests,
  };
}
