import { z } from "zod";
import { ZEmail } from "../../auth/email.schema.ts";
import { ZPassword } from "../tenants/tenants.schema.ts";

import { ZRoleSlug } from "../roles/roles.schema.ts";

export { ZRoleSlug };

/**
 * Operator path (CLI): adds a person directly as an active member. With a password, a new account is verified (the
 * operator vouches for it); without one, it is created unverified and gets a verification email.
 */
export const ZAddMemberInput = z.strictObject({
  email: ZEmail,
  password: ZPassword.optional(),
  role: ZRoleSlug.optional(),
  unitIds: z.array(z.number().int().positive()).max(1000).default([]),
  client: z.boolean().default(false),
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
});
export type TAddMemberInput = z.input<typeof ZAddMemberInput>;

export const ZMembershipId = z.number().int().positive().max(2_147_483_647);
export const ZMemberStatus = z.enum(["ACTIVE", "SUSPENDED"]);
export const ZMemberKind = z.enum(["MEMBER", "CLIENT"]);
export const ZUnitKind = z.enum(["LOCATION", "SUBSIDIARY", "PROJECT"]);

/** A membership named by id (admin app) or by its user's email (seed 003 REST); both are looked up inside the tenant. */
export const ZMemberRef = z.union([z.strictObject({ id: ZMembershipId }), z.strictObject({ email: ZEmail })]);
export type TMemberRef = z.input<typeof ZMemberRef>;

export const MEMBER_SORTS = ["name", "email", "lastLogin", "createdAt"] as const;
export const MAX_PAGE_SIZE = 100;

export const ZListMembersInput = z.strictObject({
  search: z.string().trim().max(200).optional(),
  status: ZMemberStatus.optional(),
  kind: ZMemberKind.optional(),
  role: ZRoleSlug.optional(),
  unitId: ZMembershipId.optional(),
  hasFullAccess: z.boolean().optional(),
  sort: z.enum(MEMBER_SORTS).default("name"),
  direction: z.enum(["asc", "desc"]).default("asc"),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  /**
   * `nextCursor` or `prevCursor` of a page of the same sort and direction: the page right after (or before) it,
   * found from that row instead of skipping `(page - 1) × pageSize` rows; `page` is then only echoed.
   */
  cursor: z.string().min(1).max(4_096).optional(),
});
export type TListMembersInput = z.input<typeof ZListMembersInput>;

/** One row of the members list. `id` is the membership id; `userId` the person's global id. */
export const ZMemberSummary = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  tenantId: z.number().int(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  displayName: z.string().nullable(),
  phone: z.string().nullable(),
  status: ZMemberStatus,
  kind: ZMemberKind,
  roles: z.array(z.string()),
  hasFullAccess: z.boolean(),
  lastLoginAt: z.date().nullable(),
  createdAt: z.date(),
  /** The person has two-factor authentication on (admins see it on the members list). Absent for pending rows. */
  twoFactor: z.boolean().optional(),
  /** ACTIVE, but the person has not confirmed their email address yet: no access until they do. Absent for pending rows. */
  pendingVerification: z.boolean().optional(),
  /** The person's uploaded avatar as a small square (an app-relative /avatars/<blobId> URL), null for none. List rows only. */
  avatarUrl: z.string().nullable().optional(),
  /**
   * Whether the caller may change this member's tenant roles (members.update, and ranked above them); the roles it
   * may give are the filter options' `assignable` ones. List rows only; setRoles checks it all again.
   */
  canChangeRoles: z.boolean().optional(),
});
export type TMemberSummary = z.infer<typeof ZMemberSummary>;

export const ZMemberUnitAccess = z.object({
  unitId: z.number().int(),
  name: z.string(),
  kind: ZUnitKind,
  role: z.string(),
  status: z.enum(["ACTIVE", "INVITED"]),
  archived: z.boolean(),
});

/** A member with everything both doors render: profile, verification, avatar and unit access. */
export const ZMember = ZMemberSummary.extend({
  language: z.string(),
  verified: z.boolean(),
  avatar: z.unknown().nullable(),
  units: z.array(ZMemberUnitAccess),
});
export type TMember = z.infer<typeof ZMember>;

export const ZListMembersOutput = z.object({
  items: z.array(ZMemberSummary),
  /** Exact up to 10,000 matches; beyond, an estimate (`totalIsEstimate`), so deep tenants do not count every row. */
  total: z.number().int(),
  totalIsEstimate: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The page after this one (null: this is the last), for `cursor`. */
  nextCursor: z.string().nullable(),
  /** The page before this one (null: this is the first), for `cursor`. */
  prevCursor: z.string().nullable(),
});
export type TListMembersOutput = z.infer<typeof ZListMembersOutput>;

export const ZMemberFilterOptions = z.object({
  /** `assignable`: the caller may give or take this role (grant ceiling), for the list's inline role change. */
  roles: z.array(z.object({ slug: z.string(), title: z.string(), assignable: z.boolean() })),
  units: z.array(z.object({ id: z.number().int(), name: z.string(), kind: ZUnitKind })),
});
export type TMemberFilterOptions = z.infer<typeof ZMemberFilterOptions>;

export const ZGetMemberInput = z.strictObject({ id: ZMembershipId });
export type TGetMemberInput = z.input<typeof ZGetMemberInput>;

/** What the viewer may do to this member (the services check the same rules again on every change). */
export const ZMemberViewer = z.object({
  isSelf: z.boolean(),
  canEditProfile: z.boolean(),
  canChangeRoles: z.boolean(),
  canGrantFullAccess: z.boolean(),
  canSuspend: z.boolean(),
  canRemove: z.boolean(),
  roleOptions: z.array(z.object({ slug: z.string(), title: z.string(), weight: z.number().int(), assignable: z.boolean() })),
});

export const ZMemberDetail = ZMember.extend({ viewer: ZMemberViewer });
export type TMemberDetail = z.infer<typeof ZMemberDetail>;

const name = z.string().trim().max(100).nullable().transform((v) => (v === "" ? null : v));

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const ZPhone = z.string().trim().regex(/^\+[1-9]\d{1,14}$/, "must be a phone number in E.164 form, like +14155550100");
export const ZLanguage = z.string().trim().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, "must be a language tag, like en or pt-BR");

export const ZUpdateMemberProfileInput = z
  .strictObject({
    id: ZMembershipId,
    firstName: name.optional(),
    lastName: name.optional(),
    displayName: name.optional(),
    phone: z.union([ZPhone, z.literal("").transform(() => null), z.null()]).optional(),
    language: ZLanguage.optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== "id"), { message: "name at least one field to change" });
export type TUpdateMemberProfileInput = z.input<typeof ZUpdateMemberProfileInput>;

export const ZSetMemberRolesInput = z.strictObject({
  id: ZMembershipId,
  roles: z.array(ZRoleSlug).min(1, "must name at least one role").max(20),
  hasFullAccess: z.boolean(),
});
export type TSetMemberRolesInput = z.input<typeof ZSetMemberRolesInput>;

export const ZMemberIdInput = z.strictObject({ id: ZMembershipId });
export type TMemberIdInput = z.input<typeof ZMemberIdInput>;
