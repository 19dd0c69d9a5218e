/** Looks up the tenant's pending invitation named by id, email or phone (not a use case itself). */
import type { Tx } from "../../db/client.ts";
import { INVITATION_SELECT, noPendingInvitation, type InvitationRow } from "./invitation-record.ts";

export type InvitationRefData = { id: number } | { email: string } | { phone: string };

export const describeRef = (ref: InvitationRefData) => ("id" in ref ? `invitation ${ref.id}` : "email" in ref ? ref.email : ref.phone);

/**
 * The PENDING invitation `ref` names inside the tenant, or NOT_FOUND (a foreign id is indistinguishable from a
 * missing one). `live` also requires it not to have expired by time.
 */
export async function findPendingInvitation(tx: Tx, tenantId: number, ref: InvitationRefData, opts: { live: boolean; now: Date }): Promise<InvitationRow> {
  const where = "id" in ref ? { id: ref.id, tenantId } : { tenantId, pendingKey: "email" in ref ? ref.email : ref.phone };
  const row = (await tx.invitation.findFirst({
    where: { ...where, status: "PENDING", ...(opts.live ? { expiresAt: { gt: opts.now } } : {}) },
    select: INVITATION_SELECT,
  })) as InvitationRow | null;
  if (!row) throw noPendingInvitation(describeRef(ref));
  return row;
}
