import { z } from "zod";

export const ZUnitKind = z.enum(["LOCATION", "SUBSIDIARY", "PROJECT"]);
export const ZCreateUnitInput = z.strictObject({
  name: z.string().trim().min(1, "is required").max(120),
  kind: ZUnitKind,
});
export type TCreateUnitInput = z.input<typeof ZCreateUnitInput>;
export const ZUnit = z.object({ id: z.number().int(), name: z.string(), kind: ZUnitKind });
export type TUnit = z.infer<typeof ZUnit>;

const ZUnitId = z.number().int().positive();
export const ZListUnitsInput = z.strictObject({
  kind: ZUnitKind.optional(),
  includeArchived: z.boolean().default(false),
});
export type TListUnitsInput = z.input<typeof ZListUnitsInput>;
export const ZUnitListItem = ZUnit.extend({ archived: z.boolean(), userCount: z.number().int() });
export type TUnitListItem = z.infer<typeof ZUnitListItem>;

export const ZRenameUnitInput = z.strictObject({ unitId: ZUnitId, name: z.string().trim().min(1, "is required").max(120) });
/** The rename dialog's one field. */
export const ZRenameUnitFormValues = ZRenameUnitInput.pick({ name: true });
export type TRenameUnitInput = z.input<typeof ZRenameUnitInput>;
export const ZUnitRefInput = z.strictObject({ unitId: ZUnitId });
export type TUnitRefInput = z.input<typeof ZUnitRefInput>;

export const ZListUnitUsersInput = z.strictObject({
  unitId: ZUnitId,
  kind: ZUnitKind.optional(),
  /** true: accepted (ACTIVE access or full access); false: invited, not yet accepted. */
  approved: z.boolean().optional(),
});
export type TListUnitUsersInput = z.input<typeof ZListUnitUsersInput>;

const ZValue = z.union([z.boolean(), z.number(), z.array(z.number()), z.null()]);
export const ZUnitUser = z.object({
  userId: z.number().int(),
  membershipId: z.number().int(),
  name: z.string(),
  firstName: z.string().nullable(),
  email: z.string(),
  phone: z.string().nullable(),
  information: z.string().nullable(),
  position: z.string().nullable(),
  role: z.string().nullable(),
  hasFullAccess: z.boolean(),
  isApproved: z.boolean(),
  /** The tenant's last owner: never removable. */
  isNonDeletable: z.boolean(),
  /** Effective values of the unit rights at this unit. */
  values: z.record(z.string(), ZValue),
});
export type TUnitUser = z.infer<typeof ZUnitUser>;

/** The units page's labels for these fields (server/services/labels.schema.ts merges every domain's table). */
export const UNIT_LABELS = {
  kind: "Kind",
  unitId: "Unit",
  includeArchived: "Show archived units",
} as const;
