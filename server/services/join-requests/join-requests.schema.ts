import { z } from "zod";
import { ZEmail } from "../../auth/email.schema.ts";
import { ZMembershipId, ZRoleSlug } from "../members/members.schema.ts";
import { ZPassword, ZTenantSlug } from "../tenants/tenants.schema.ts";

export const MAX_JOIN_MESSAGE = 2000;

/** An optional note to the admins; blank counts as none. */
const ZMessage = z
  .string()
  .trim()
  .max(MAX_JOIN_MESSAGE, `must be at most ${MAX_JOIN_MESSAGE} characters`)
  .nullish()
  .transform((v) => (v ? v : null));

export const ZJoinRequestId = z.number().int().positive().max(2_147_483_647);

/** A signed-in person asks to join a tenant (the user comes from the session, never from input). */
export const ZCreateJoinRequestInput = z.strictObject({ tenantSlug: ZTenantSlug, message: ZMessage });
export type TCreateJoinRequestInput = z.input<typeof ZCreateJoinRequestInput>;

/** An integrator files a request for a person (partner token; the tenant is the token's). */
export const ZCreateJoinRequestOnBehalfInput = z.strictObject({
  email: ZEmail,
  message: ZMessage,
  /** Base of the verification link sent to a new (or still unverified) address; its origin must be on the allow-list. */
  verificationBaseUrl: z.string().trim().min(1).max(2000).optional(),
});
export type TCreateJoinRequestOnBehalfInput = z.input<typeof ZCreateJoinRequestOnBehalfInput>;

/** A pending request named by id (admin app) or by the requester's email (seed 003 REST). */
export const ZJoinRequestRef = z.union([z.strictObject({ id: ZJoinRequestId }), z.strictObject({ email: ZEmail })]);
export type TJoinRequestRef = z.input<typeof ZJoinRequestRef>;

export const ZAcceptJoinRequestInput = z.strictObject({
  ref: ZJoinRequestRef,
  /** Tenant role and the role at each unit; default worker. */
  role: ZRoleSlug.optional(),
  unitIds: z.array(ZMembershipId).max(1000).default([]),
});
export type TAcceptJoinRequestInput = z.input<typeof ZAcceptJoinRequestInput>;

export const ZDenyJoinRequestInput = z.strictObject({ ref: ZJoinRequestRef });
export type TDenyJoinRequestInput = z.input<typeof ZDenyJoinRequestInput>;

/** The anonymous sign-up on /join/[tenant], allowed only when the tenant's join policy is OPEN. */
export const ZSignUpForJoinInput = z.strictObject({
  tenantSlug: ZTenantSlug,
  email: ZEmail,
  password: ZPassword,
  firstName: z.string().trim().min(1, "is required").max(100),
  lastName: z.string().trim().min(1, "is required").max(100),
  message: ZMessage,
});
export type TSignUpForJoinInput = z.input<typeof ZSignUpForJoinInput>;

export const ZJoinRequestStatus = z.enum(["PENDING", "ACCEPTED", "DENIED", "CANCELLED"]);

export const ZJoinRequester = z.object({
  id: z.number().int(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  displayName: z.string().nullable(),
  language: z.string(),
  verified: z.boolean(),
  lastLoginAt: z.date().nullable(),
  avatar: z.unknown().nullable(),
});

export const ZJoinRequest = z.object({
  id: z.number().int(),
  tenantId: z.number().int(),
  status: ZJoinRequestStatus,
  message: z.string().nullable(),
  createdAt: z.date(),
  decidedAt: z.date().nullable(),
  user: ZJoinRequester,
});
export type TJoinRequest = z.infer<typeof ZJoinRequest>;

/** What /join/[tenant] shows: "closed" alike for an unknown, suspended or CLOSED tenant (no enumeration). */
export const ZJoinLanding = z.discriminatedUnion("state", [
  z.object({ state: z.literal("closed") }),
  z.object({
    state: z.literal("open"),
    tenant: z.object({ slug: z.string(), name: z.string() }),
    signUpAllowed: z.boolean(),
    viewer: z.object({ member: z.boolean(), pending: z.boolean() }).nullable(),
  }),
]);
export type TJoinLanding = z.infer<typeof ZJoinLanding>;

export const ZSignUpForJoinOutput = z.object({ message: z.string() });
export type TSignUpForJoinOutput = z.infer<typeof ZSignUpForJoinOutput>;
