/**
 * What the landing page shows before anyone acts: tenant, inviter, kind and preset roles. No writes. Every unusable
 * token (unknown, tampered, spent, cancelled, expired) is the same null.
 */
import type { Db } from "../../db/client.ts";
import { personName } from "./invitation-record.ts";
import { ZRawInviteToken, type TInvitationPreview } from "./invitations.schema.ts";
import { findLiveByToken } from "./token-lookup.ts";

export async function previewInvitation(db: Db, rawToken: string): Promise<TInvitationPreview | null> {
  const token = ZRawInviteToken.safeParse(rawToken);
  if (!token.success) return null;
  const inv = await findLiveByToken(db, token.data);
  if (!inv) return null;
  const roles = await db.role.findMany({ where: { tenantId: inv.tenantId, slug: { in: inv.roles } }, select: { slug: true, title: true, weight: true } });
  roles.sort((a, b) => b.weight - a.weight || a.slug.localeCompare(b.slug));
  return {
    tenantName: inv.tenant.name,
    tenantSlug: inv.tenant.slug,
    inviterName: inv.invitedBy ? personName(inv.invitedBy) : null,
    kind: inv.kind,
    roles: roles.map((r) => ({ slug: r.slug, title: r.title })),
    email: inv.email,
    phone: inv.phone,
    expiresAt: inv.expiresAt,
  };
}
