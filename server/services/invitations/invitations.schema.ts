/**
 * Invitation inputs and outputs (zod). Services parse their input with these; transports import the types.
 * An invitation names its recipient by email, or (seed 000 `search`) by a phone number in E.164.
 */
import { z } from "zod";
import { ZEmail } from "../../auth/email.schema.ts";
import { MAX_BATCH, ZValueInput } from "../access/access.schema.ts";
import { ZRoleSlug } from "../roles/roles.schema.ts";
import { MAX_PASTED_CHARS, MAX_PASTED_EMAILS, splitPastedEmails } from "./pasted-emails.schema.ts";

const ZId = z.number().int().positive().max(2_147_483_647);
export const ZPhone = z.string().trim().regex(/^\+[1-9][0-9]{6,14}$/, "must be a phone number in E.164 format (+15551234567)");
export const ZInvitationKind = z.enum(["MEMBER", "CLIENT"]);
export const ZInvitationStatus = z.enum(["PENDING", "ACCEPTED", "DECLINED", "CANCELLED", "EXPIRED"]);
export const ZRawInviteToken = z.string().min(1).max(200);
export const ZLinkBase = z.string().trim().min(1).max(2000);

/** A preset grant at one unit: the unit role and permission values (checked against the inviter's ceiling). */
export const ZUnitGrantInput = z.strictObject({
  unitId: ZId,
  role: ZRoleSlug,
  permissions: z.array(ZValueInput).max(MAX_BATCH).default([]),
  staffId: ZId.nullable().optional(),
  position: z.string().trim().max(200).nullable().optional(),
});

/** The note to the invitee, shown in the email and on the invitation page. */
export const ZInvitationMessage = z.string().trim().max(2000, "must be at most 2,000 characters");

const recipient = {
  email: ZEmail.optional(),
  phone: ZPhone.optional(),
};

export const ZCreateInvitationInput = z
  .strictObject({
    ...recipient,
    /** A display name for a person who has no account yet (seed 000 `name`). */
    name: z.string().trim().max(200).nullable().optional(),
    kind: ZInvitationKind.default("MEMBER"),
    /** Preset tenant roles; empty = the default role of the kind (worker, or client for client users). */
    roles: z.array(ZRoleSlug).max(20).default([]),
    unitGrants: z.array(ZUnitGrantInput).max(MAX_BATCH).default([]),
    message: ZInvitationMessage.nullable().optional(),
    sendEmail: z.boolean().default(true),
    verificationBaseUrl: ZLinkBase.optional(),
  })
  .refine((v) => (v.email === undefined) !== (v.phone === undefined), { message: "give exactly one of email or phone", path: ["email"] });
export type TCreateInvitationInput = z.input<typeof ZCreateInvitationInput>;
export type TCreateInvitationData = z.output<typeof ZCreateInvitationInput>;

/**
 * The admin app's invite form (one person by email, one tenant role, at most one unit), checked in the browser with
 * the create input's own field schemas; the form turns it into a create input, which the service parses again.
 */
/** The presets both invite forms share (their fields render through InvitePresetFields). */
const ZInvitePresetFormValues = z.object({
  kind: ZInvitationKind,
  /** "" = the default role of the kind. */
  role: z.union([z.literal(""), ZRoleSlug]),
  /** A unit id from the list, or "" for none. */
  unitId: z.string().regex(/^[0-9]*$/, "must be a unit from the list"),
  message: ZInvitationMessage,
});
export type TInvitePresetFormValues = z.input<typeof ZInvitePresetFormValues>;

export const ZInviteFormValues = ZInvitePresetFormValues.extend({ email: ZEmail, sendEmail: z.boolean() });
export type TInviteFormValues = z.input<typeof ZInviteFormValues>;

/**
 * Inviting the addresses pasted into the admin app, all with the same presets. The text is split by the service
 * (splitPastedEmails); each address gets its own outcome. A paste always sends the emails: handing over a hundred
 * one-time links is not a workflow (the single invite keeps that option).
 */
export const ZInviteEmailsInput = z.strictObject({
  emails: z
    .string()
    .max(MAX_PASTED_CHARS, `is too long: paste at most ${MAX_PASTED_EMAILS} addresses at once`)
    .refine((v) => splitPastedEmails(v).length > 0, "paste at least one email address")
    .refine((v) => splitPastedEmails(v).length <= MAX_PASTED_EMAILS, {
      error: (issue) => `lists ${splitPastedEmails(String(issue.input)).length} addresses; paste at most ${MAX_PASTED_EMAILS} at once`,
    }),
  kind: ZInvitationKind.default("MEMBER"),
  roles: z.array(ZRoleSlug).max(20).default([]),
  unitGrants: z.array(ZUnitGrantInput).max(MAX_BATCH).default([]),
  message: ZInvitationMessage.nullable().optional(),
});
export type TInviteEmailsInput = z.input<typeof ZInviteEmailsInput>;

export const ZPastedEmailOutcome = z.enum(["invited", "already_member", "already_invited", "invalid"]);
export type TPastedEmailOutcome = z.infer<typeof ZPastedEmailOutcome>;

export const ZInviteEmailsOutput = z.object({
  /** One row per distinct address, in the order pasted; `email` is the normalised address, or the entry as typed when invalid. */
  results: z.array(z.object({ email: z.string(), outcome: ZPastedEmailOutcome, invitationId: z.number().int().nullable() })),
});
export type TInviteEmailsOutput = z.infer<typeof ZInviteEmailsOutput>;

/** The admin app's paste form, checked in the browser; the form turns it into an inviteEmails input. */
export const ZInviteEmailsFormValues = ZInvitePresetFormValues.extend({ emails: ZInviteEmailsInput.shape.emails });
export type TInviteEmailsFormValues = z.input<typeof ZInviteEmailsFormValues>;

export const ZCreateInvitationsInput = z.strictObject({
  items: z.array(z.unknown()).min(1).max(MAX_BATCH),
});
export type TCreateInvitationsInput = { items: TCreateInvitationInput[] };

/** An invitation named by its recipient's email (seed 003) or phone, or by id (admin app). */
export const ZInvitationRef = z.union([
  z.strictObject({ id: ZId }),
  z.strictObject({ email: ZEmail }),
  z.strictObject({ phone: ZPhone }),
]);

export const ZResendInvitationInput = z.strictObject({
  ref: ZInvitationRef,
  verificationBaseUrl: ZLinkBase.optional(),
});
export type TResendInvitationInput = z.input<typeof ZResendInvitationInput>;

export const ZCancelInvitationInput = z.strictObject({ ref: ZInvitationRef });
export type TCancelInvitationInput = z.input<typeof ZCancelInvitationInput>;

export const ZListPendingInvitationsInput = z.strictObject({
  kind: ZInvitationKind.optional(),
  /** Also list invitations that expired (shown as EXPIRED, never as pending). */
  includeExpired: z.boolean().default(false),
});
export type TListPendingInvitationsInput = z.input<typeof ZListPendingInvitationsInput>;

export const ZTokenInput = z.strictObject({ rawToken: ZRawInviteToken });

export const ZUnitGrantOut = z.object({
  unitId: z.number().int(),
  role: z.string(),
  permissions: z.record(z.string(), z.unknown()),
  staffId: z.number().int().nullable(),
  position: z.string().nullable(),
});
export type TUnitGrantOut = z.infer<typeof ZUnitGrantOut>;

/**
 * An invitation as the inviting tenant sees it: only what the inviter gave (recipient, presets, message) and its own
 * state. Nothing about the person behind the address (name, last sign-in, verification, user id) until they accept:
 * that would let any inviter probe who has an account elsewhere (issue 9).
 */
export const ZInvitation = z.object({
  id: z.number().int(),
  tenantId: z.number().int(),
  kind: ZInvitationKind,
  status: ZInvitationStatus,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  roles: z.array(z.string()),
  unitGrants: z.array(ZUnitGrantOut),
  message: z.string().nullable(),
  invitedBy: z.object({ userId: z.number().int(), name: z.string() }).nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
  sendCount: z.number().int(),
  lastSentAt: z.date().nullable(),
});
export type TInvitation = z.infer<typeof ZInvitation>;

export const ZCreateInvitationOutput = z.object({
  invitation: ZInvitation,
  /** The accept link, returned once, only when no email was sent (sendEmail false, or a phone invitation). */
  inviteUrl: z.string().nullable(),
});
export type TCreateInvitationOutput = z.infer<typeof ZCreateInvitationOutput>;

export const ZCreateInvitationsOutput = z.object({ results: z.array(ZCreateInvitationOutput) });
export type TCreateInvitationsOutput = z.infer<typeof ZCreateInvitationsOutput>;

export const ZResendInvitationOutput = z.object({ invitation: ZInvitation, inviteUrl: z.string().nullable() });
export type TResendInvitationOutput = z.infer<typeof ZResendInvitationOutput>;

export const ZDeliveryState = z.object({
  status: z.enum(["queued", "sent", "failed", "cancelled"]),
  error: z.string().nullable(),
  retrying: z.boolean(),
  attempts: z.number().int(),
  sentAt: z.date().nullable(),
});

export const ZPendingInvitation = ZInvitation.extend({
  ageDays: z.number().int(),
  delivery: ZDeliveryState.nullable(),
});
export type TPendingInvitation = z.infer<typeof ZPendingInvitation>;
export const ZListPendingInvitationsOutput = z.object({ invitations: z.array(ZPendingInvitation) });
export type TListPendingInvitationsOutput = z.infer<typeof ZListPendingInvitationsOutput>;

export const ZInvitationPreview = z.object({
  tenantName: z.string(),
  tenantSlug: z.string(),
  inviterName: z.string().nullable(),
  kind: ZInvitationKind,
  roles: z.array(z.object({ slug: z.string(), title: z.string() })),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  expiresAt: z.date(),
});
export type TInvitationPreview = z.infer<typeof ZInvitationPreview>;

/** A preset unit grant left out at acceptance, and why (the unit was archived after the invitation was sent). */
export const ZSkippedUnit = z.object({ id: z.number().int(), name: z.string(), reason: z.literal("archived") });
export type TSkippedUnit = z.infer<typeof ZSkippedUnit>;

export const ZAcceptInvitationOutput = z.object({
  tenantId: z.number().int(),
  tenantSlug: z.string(),
  membershipId: z.number().int(),
  invitationId: z.number().int(),
  /** Preset units the new member did not get access to; the person is told (landing page, account page). */
  skippedUnits: z.array(ZSkippedUnit),
});
export type TAcceptInvitationOutput = z.infer<typeof ZAcceptInvitationOutput>;

/** What the landing page shows after an accept that skipped units: the tenant and the units left out. */
export const ZAcceptResult = z.object({ tenantName: z.string(), tenantSlug: z.string(), skippedUnits: z.array(ZSkippedUnit) });
export type TAcceptResult = z.infer<typeof ZAcceptResult>;

/** The invite form's labels for these fields (server/services/labels.schema.ts merges every domain's table). */
export const INVITATION_LABELS = {
  kind: "Kind",
  roles: "Role",
  unitGrants: "Unit",
  "unitGrants.unitId": "Unit",
  "unitGrants.role": "Role at the unit",
  "unitGrants.permissions": "Permissions at the unit",
  sendEmail: "Send the invitation email",
  verificationBaseUrl: "Link address",
  ref: "Invitation",
  items: "Invitations",
  emails: "Email addresses",
} as const;
