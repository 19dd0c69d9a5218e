import { z } from "zod";
import { ZUnitKind } from "../units/units.schema.ts";

/** A permission value as callers send it; the catalog decides which shape each slug accepts (validate-values.ts). */
export const ZRightValue = z.union([z.boolean(), z.number(), z.array(z.number()), z.null()]);
export const ZValueInput = z.strictObject({ slug: z.string().min(1).max(100), value: ZRightValue });
export type TValueInput = z.infer<typeof ZValueInput>;

const ZId = z.number().int().positive();
export const MAX_BATCH = 1000;

export const ZUnitMemberRef = {
  unitId: ZId,
  userId: ZId,
  /** When set, the unit must be of this kind (seed 000's "company" is a LOCATION); another kind is NOT_FOUND. */
  kind: ZUnitKind.optional(),
};

export const ZGetUnitAccessInput = z.strictObject({
  ...ZUnitMemberRef,
  /** NOT_FOUND when the member has no access at the unit (seed 000 addresses a location's users only). */
  requireAccess: z.boolean().default(false),
});
export type TGetUnitAccessInput = z.input<typeof ZGetUnitAccessInput>;

export const ZUpdateUnitAccessInput = z.strictObject({
  ...ZUnitMemberRef,
  role: z.string().min(1).max(64).optional(),
  permissions: z.array(ZValueInput).max(MAX_BATCH).default([]),
  staffId: ZId.nullable().optional(),
});
export type TUpdateUnitAccessInput = z.input<typeof ZUpdateUnitAccessInput>;

export const ZRemoveFromUnitInput = z.strictObject({ ...ZUnitMemberRef });
export type TRemoveFromUnitInput = z.input<typeof ZRemoveFromUnitInput>;

export const ZCopyToUnitsInput = z.strictObject({
  ...ZUnitMemberRef,
  links: z.array(z.strictObject({ unitId: ZId, permissions: z.array(ZValueInput).max(MAX_BATCH).optional() })).min(1).max(MAX_BATCH),
  dryRun: z.boolean().default(false),
});
export type TCopyToUnitsInput = z.input<typeof ZCopyToUnitsInput>;

export const ZRemoveFromUnitsInput = z.strictObject({
  ...ZUnitMemberRef,
  links: z.array(z.strictObject({ unitId: ZId })).min(1).max(MAX_BATCH),
  dryRun: z.boolean().default(false),
});
export type TRemoveFromUnitsInput = z.input<typeof ZRemoveFromUnitsInput>;

export const ZValueSource = z.enum(["full_access", "owner", "override", "role", "catalog", "no_unit_access"]);
export const ZOutValue = z.union([z.boolean(), z.number(), z.array(z.number()), z.null()]);

export const ZUnitAccess = z.object({
  unitId: z.number().int(),
  userId: z.number().int(),
  membershipId: z.number().int(),
  status: z.enum(["ACTIVE", "INVITED"]).nullable(),
  hasFullAccess: z.boolean(),
  role: z.string().nullable(),
  staffId: z.number().int().nullable(),
  /** Whether the caller may change this member at this unit at all (members.update and rank). */
  isEditable: z.boolean(),
  permissions: z.array(
    z.object({
      slug: z.string(),
      category: z.string(),
      title: z.string(),
      type: z.enum(["BOOLEAN", "INTEGER", "ENTITY_ID", "ID_LIST"]),
      value: ZOutValue,
      source: ZValueSource,
      isEditable: z.boolean(),
    }),
  ),
});
export type TUnitAccess = z.infer<typeof ZUnitAccess>;

export const ZUnitResult = z.object({
  unitId: z.number().int(),
  result: z.enum(["added", "permissions_updated", "removed", "not_a_member"]),
});
export const ZBatchOutput = z.object({ dryRun: z.boolean(), results: z.array(ZUnitResult) });
export type TBatchOutput = z.infer<typeof ZBatchOutput>;

export const ZMyUnitPermissionsInput = z.strictObject({ unitId: ZId, kind: ZUnitKind.optional() });
export type TMyUnitPermissionsInput = z.input<typeof ZMyUnitPermissionsInput>;
