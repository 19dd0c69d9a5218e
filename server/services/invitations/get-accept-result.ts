/**
 * What the invitation landing page shows after an accept that skipped units (archived since the invitation was
 * sent): the tenant and the units left out, read back from the accept's own audit row, the record of what was
 * granted. Only the person who accepted gets it; any other id, or someone else's, is null, so a crafted URL shows
 * nothing.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { ZSkippedUnit, type TAcceptResult } from "./invitations.schema.ts";

const ZInput = z.strictObject({ userId: z.number().int().positive(), invitationId: z.number().int().positive().max(2_147_483_647) });

export async function getAcceptResult(db: Db, input: { userId: number; invitationId: number }): Promise<TAcceptResult | null> {
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) return null;
  const { userId, invitationId } = parsed.data;
  const inv = await db.invitation.findFirst({
    where: { id: invitationId, userId, status: "ACCEPTED" },
    select: { id: true, tenantId: true, tenant: { select: { name: true, slug: true } } },
  });
  if (!inv) return null;
  const event = await db.auditEvent.findFirst({
    where: { tenantId: inv.tenantId, action: "invitation.accepted", targetType: "invitation", targetId: String(inv.id), actorUserId: userId },
    orderBy: { id: "desc" },
    select: { after: true },
  });
  const after = event?.after && typeof event.after === "object" ? (event.after as Record<string, unknown>) : {};
  const skipped = z.array(ZSkippedUnit).safeParse(after.skippedUnits ?? []);
  return { tenantName: inv.tenant.name, tenantSlug: inv.tenant.slug, skippedUnits: skipped.success ? skipped.data : [] };
}
