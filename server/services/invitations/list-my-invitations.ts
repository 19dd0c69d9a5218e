/**
 * The signed-in user's own pending invitations, from any tenant, for the account page; and the one lookup by id that
 * the account page's accept and decline go through (the same predicate, so the list and the actions cannot disagree).
 *
 * Who counts as the recipient without a link:
 * - email invitations whose email equals the account's email, and only when the account's email is VERIFIED. An
 *   account can hold an email nobody proved (sign-up for a join request stores the typed address unverified); if such
 *   an account saw and could accept invitations to that address, squatting an address would capture every later
 *   invitation sent to it, from any tenant. An unverified account still accepts through the emailed link, which
 *   proves the mailbox (and verifies the email).
 * - never phone invitations: a profile phone is unverified data (accepting a phone link even writes it), so matching on
 *   it would hand the invitation to whoever typed the number. Phone invitations are accepted through their link only.
 * Someone else's invitation, and one that is not live (accepted, declined, cancelled, expired), is the same NOT_FOUND.
 */
import { z } from "zod";
import type { Db, Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { effectiveStatus, INVITATION_SELECT, personName } from "./invitation-record.ts";
import { ZInvitationKind } from "./invitations.schema.ts";
import { loadInvitee, type Invitee, type TokenInvitation } from "./token-lookup.ts";

export const ZMyInvitationInput = z.strictObject({ id: z.number().int().positive().max(2_147_483_647) });
export type TMyInvitationInput = z.input<typeof ZMyInvitationInput>;

export const ZMyInvitation = z.object({
  id: z.number().int(),
  tenant: z.object({ name: z.string(), slug: z.string() }),
  kind: ZInvitationKind,
  roles: z.array(z.object({ slug: z.string(), title: z.string() })),
  inviterName: z.string().nullable(),
  expiresAt: z.date(),
  message: z.string().nullable(),
});
export type TMyInvitation = z.infer<typeof ZMyInvitation>;

export const ZMyInvitationsOutput = z.object({
  /** False: the account's email is not verified, so nothing is listed (the emailed link still works). */
  emailVerified: z.boolean(),
  invitations: z.array(ZMyInvitation),
});
export type TMyInvitationsOutput = z.infer<typeof ZMyInvitationsOutput>;

export const MY_INVITATION_NOT_FOUND = "Invitation not found. It may have been accepted, declined, withdrawn or expired.";
export const myInvitationNotFound = () => new AppError(AppErrorCode.NOT_FOUND, { userMessage: MY_INVITATION_NOT_FOUND });

/**
 * The rows that are the user's own live invitations; null when the account may see none (unverified email). The rule
 * is the email; `userId` is the same rows' index path ((userId, status): an invitation by email points at the user of
 * that address from the moment it is made, and addresses do not change), since an invitation's id alone no longer
 * has an index of its own (its primary key is (tenantId, id), and the invitee's tenants are not known here).
 */
function mineWhere(user: Invitee, now: Date) {
  if (!user.emailVerifiedAt) return null;
  return { userId: user.id, email: user.email, status: "PENDING" as const, expiresAt: { gt: now } };
}

const LOOKUP_SELECT = { ...INVITATION_SELECT, tenant: { select: { id: true, slug: true, name: true, status: true } } } as const;

/** Internal: the user's own live invitation `id` (read inside the caller's transaction), or NOT_FOUND. */
export async function findMyLiveInvitation(tx: Tx, user: Invitee, id: number, now: Date): Promise<TokenInvitation> {
  const where = mineWhere(user, now);
  const row = where ? ((await tx.invitation.findFirst({ where: { id, ...where }, select: LOOKUP_SELECT })) as TokenInvitation | null) : null;
  if (!row || row.email !== user.email || effectiveStatus(row, now) !== "PENDING") throw myInvitationNotFound();
  return row;
}

export function parseMyInvitationInput(input: TMyInvitationInput) {
  return parseInput(ZMyInvitationInput, input);
}

export async function listMyInvitations(db: Db, input: { userId: number }): Promise<TMyInvitationsOutput> {
  const now = new Date();
  const user = await loadInvitee(db, input.userId);
  const where = mineWhere(user, now);
  if (!where) return { emailVerified: false, invitations: [] };
  // Suspended tenants are left out: their invitations cannot be accepted now (the id path still says so clearly).
  const rows = await db.invitation.findMany({
    where: { ...where, tenant: { status: "ACTIVE" } },
    select: {
      id: true, kind: true, roles: true, message: true, expiresAt: true, tenantId: true,
      tenant: { select: { name: true, slug: true } },
      invitedBy: { select: { email: true, firstName: true, lastName: true, displayName: true } },
    },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    take: 100,
  });
  const tenantIds = [...new Set(rows.map((r) => r.tenantId))];
  const slugs = [...new Set(rows.flatMap((r) => r.roles))];
  const roleRows = rows.length
    ? await db.role.findMany({ where: { tenantId: { in: tenantIds }, slug: { in: slugs } }, select: { tenantId: true, slug: true, title: true } })
    : [];
  const title = new Map(roleRows.map((r) => [`${r.tenantId}:${r.slug}`, r.title]));
  return {
    emailVerified: true,
    invitations: rows.map((r) => ({
      id: r.id,
      tenant: { name: r.tenant.name, slug: r.tenant.slug },
      kind: r.kind,
      roles: r.roles.map((slug) => ({ slug, title: title.get(`${r.tenantId}:${slug}`) ?? slug })),
      inviterName: r.invitedBy ? personName(r.invitedBy) : null,
      expiresAt: r.expiresAt,
      message: r.message,
    })),
  };
}
