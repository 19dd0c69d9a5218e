import { z } from "zod";
import { ZEmail } from "../../auth/email.schema.ts";
import { ZNewPassword } from "../../auth/password-policy.ts";
import { ZAuditEvent } from "../audit/audit.schema.ts";

/** Every password that is set (sign-ups, reset, change, CLI) passes the policy in server/auth/password-policy.ts. */
export const ZPassword = ZNewPassword;

export const ZTenantSlug = z.string().min(1).max(64).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a tenant slug");

export const ZCreateTenantInput = z.strictObject({
  name: z.string().trim().min(1, "is required").max(120),
  ownerEmail: ZEmail,
  ownerPassword: ZPassword,
  slug: ZTenantSlug.optional(),
});
export type TCreateTenantInput = z.input<typeof ZCreateTenantInput>;

export const ZTenantSummary = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
});
export type TTenantSummary = z.infer<typeof ZTenantSummary>;

export const ZMyTenant = ZTenantSummary.extend({
  roles: z.array(z.string()),
  status: z.enum(["ACTIVE", "SUSPENDED"]),
  kind: z.enum(["MEMBER", "CLIENT"]),
});
export type TMyTenant = z.infer<typeof ZMyTenant>;

export const ZCurrentTenant = ZTenantSummary.extend({
  logo: z.unknown().nullable(),
  me: z.object({
    userId: z.number().int().nullable(),
    membershipId: z.number().int().nullable(),
    roles: z.array(z.string()),
    hasFullAccess: z.boolean(),
    permissions: z.array(z.string()),
  }),
});
export type TCurrentTenant = z.infer<typeof ZCurrentTenant>;

/** A count on the overview, or null when the viewer may not read what it counts (the page then hides it). */
const ZVisibleCount = z.number().int().nullable();
export const ZTenantOverview = z.object({
  counts: z.object({
    activeMembers: ZVisibleCount,
    pendingInvitations: ZVisibleCount,
    openRequests: ZVisibleCount,
    units: ZVisibleCount,
  }),
  /** The last audit events, newest first; null without `audit.read`. */
  recent: z.array(ZAuditEvent).nullable(),
});
export type TTenantOverview = z.infer<typeof ZTenantOverview>;
