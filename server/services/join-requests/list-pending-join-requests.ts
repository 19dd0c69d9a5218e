/** The tenant's pending join requests, oldest first (requests.manage). */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import type { TJoinRequest } from "./join-requests.schema.ts";
import { REQUEST_SELECT, toJoinRequest, type RequestRow } from "./request-record.ts";

/** A cap, not a page: more pending requests than this is a backlog the inbox shows oldest first. */
export const MAX_PENDING_LISTED = 500;

export async function listPendingJoinRequests(db: Db, actor: Actor): Promise<TJoinRequest[]> {
  assertCan(actor, "requests.manage");
  const rows = await db.joinRequest.findMany({
    where: { tenantId: actor.tenantId, status: "PENDING" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: MAX_PENDING_LISTED,
    select: REQUEST_SELECT,
  });
  return rows.map((r) => toJoinRequest(r as RequestRow));
}
