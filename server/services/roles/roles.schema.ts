import { z } from "zod";
import { parseRightValue, type RightValueIn } from "./right-value.schema.ts";
import { ZValueInput } from "../access/access.schema.ts";
import { ZUnitKind } from "../units/units.schema.ts";

/** A role named by slug (built-in slugs may use digits first, so this is looser than ZRoleSlugInput for new roles). */
export const ZRoleSlug = z.string().min(1).max(64).regex(/^[a-z0-9_-]+$/, "must be a role slug");

const ZValue = z.union([z.boolean(), z.number(), z.array(z.number()), z.null()]);
export const ZRoleSlugInput = z.string().trim().min(1).max(64).regex(/^[a-z][a-z0-9_-]*$/, "must be lower-case letters, digits, - or _");

export const ZListRolesInput = z.strictObject({
  includePermissions: z.boolean().default(true),
  /** "unit": business rights only (seed 000); "all": the console's system permissions too. */
  scope: z.enum(["unit", "all"]).default("all"),
  /** With a unit (and optionally a user there), `isEditable` says what the caller may grant at that unit (to that user). */
  unitId: z.number().int().positive().optional(),
  userId: z.number().int().positive().optional(),
  kind: ZUnitKind.optional(),
});
export type TListRolesInput = z.input<typeof ZListRolesInput>;

export type TPermissionNode = {
  slug: string;
  title: string;
  hint: string;
  category: string;
  rightType: "BOOLEAN" | "INTEGER" | "ENTITY_ID" | "ID_LIST" | "GROUP";
  isRecommended: boolean;
  isEditable: boolean;
  defaultValue: z.infer<typeof ZValue>;
  entityName: string | null;
  children: TPermissionNode[];
  options: { title: string; value: z.infer<typeof ZValue>; isDisabled: boolean }[];
  type: { slug: string; allAccessValue: z.infer<typeof ZValue>; noAccessValue: z.infer<typeof ZValue> };
};
export const ZPermissionNode: z.ZodType<TPermissionNode> = z.lazy(() =>
  z.object({
    slug: z.string(), title: z.string(), hint: z.string(), category: z.string(),
    rightType: z.enum(["BOOLEAN", "INTEGER", "ENTITY_ID", "ID_LIST", "GROUP"]),
    isRecommended: z.boolean(), isEditable: z.boolean(), defaultValue: ZValue, entityName: z.string().nullable(),
    children: z.array(ZPermissionNode),
    options: z.array(z.object({ title: z.string(), value: ZValue, isDisabled: z.boolean() })),
    type: z.object({ slug: z.string(), allAccessValue: ZValue, noAccessValue: ZValue }),
  }),
);

export const ZRoleOut = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  weight: z.number().int(),
  builtIn: z.boolean(),
  /** Memberships and unit grants holding the role. */
  usage: z.number().int(),
  permissions: z.array(ZPermissionNode).optional(),
});
export type TRoleOut = z.infer<typeof ZRoleOut>;

const ZRoleTitle = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");
const ZRoleWeight = z
  .number({ error: "must be a whole number from 1 to 99" })
  .int("must be a whole number from 1 to 99")
  .min(1, "must be a whole number from 1 to 99")
  .max(99, "must be a whole number from 1 to 99");

export const ZCreateRoleInput = z.strictObject({
  slug: ZRoleSlugInput,
  title: ZRoleTitle,
  description: z.string().trim().max(500).default(""),
  weight: ZRoleWeight,
  defaults: z.array(ZValueInput).max(1000).default([]),
});
export type TCreateRoleInput = z.input<typeof ZCreateRoleInput>;

/** The create-role form: the same fields as typed (the weight is text in the input). */
export const ZCreateRoleFormValues = z.object({
  slug: ZRoleSlugInput,
  title: ZRoleTitle,
  weight: z.string().trim().min(1, "must be a whole number from 1 to 99").transform(Number).pipe(ZRoleWeight),
});
export type TCreateRoleFormValues = z.input<typeof ZCreateRoleFormValues>;

export const ZUpdateRoleInput = z.strictObject({
  slug: ZRoleSlugInput,
  title: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).optional(),
  weight: z.number().int().min(1).max(99).optional(),
  /** Merged into the current defaults; rights not listed keep their values. */
  defaults: z.array(ZValueInput).max(1000).default([]),
});
export type TUpdateRoleInput = z.input<typeof ZUpdateRoleInput>;

export const ZDeleteRoleInput = z.strictObject({ slug: ZRoleSlugInput });
export type TDeleteRoleInput = z.input<typeof ZDeleteRoleInput>;
export const ZRoleSummary = z.object({ id: z.number().int(), slug: z.string(), title: z.string(), weight: z.number().int() });

const ZRightSlug = z.string().trim().min(2, "must be at least 2 characters").max(64).regex(/^[a-z][a-z0-9_]*$/, "must be lower_snake_case");
const ZRightCategory = z.string().trim().min(1, "is required").max(64).regex(/^[a-z][a-z0-9_]*$/, "must be lower_snake_case");
const ZRightType = z.enum(["BOOLEAN", "INTEGER", "ENTITY_ID", "ID_LIST"]);

export const ZCreateRightInput = z.strictObject({
  slug: ZRightSlug,
  category: ZRightCategory,
  title: ZRoleTitle,
  description: z.string().trim().max(500).default(""),
  type: ZRightType,
  defaultValue: ZValue,
  scope: z.enum(["TENANT", "UNIT"]).default("UNIT"),
});
export type TCreateRightInput = z.input<typeof ZCreateRightInput>;

/** The add-right form: a yes/no default is a checkbox, any other default is text parsed for the chosen type. */
export const ZCreateRightFormValues = z
  .object({
    slug: ZRightSlug,
    category: ZRightCategory,
    title: ZRoleTitle,
    type: ZRightType,
    defaultChecked: z.boolean(),
    defaultText: z.string(),
  })
  .transform((v, ctx) => {
    const { defaultChecked, defaultText, ...rest } = v;
    if (v.type === "BOOLEAN") return { ...rest, defaultValue: defaultChecked as RightValueIn };
    const parsed = parseRightValue(v.type, defaultText);
    if ("error" in parsed) {
      ctx.addIssue({ code: "custom", path: ["defaultText"], message: parsed.error });
      return z.NEVER;
    }
    return { ...rest, defaultValue: parsed.value };
  });
export type TCreateRightFormValues = z.input<typeof ZCreateRightFormValues>;
export const ZRightOut = z.object({ slug: z.string(), category: z.string(), title: z.string(), type: z.string(), defaultValue: ZValue, scope: z.string() });

/** The roles page's labels for these fields (server/services/labels.schema.ts merges every domain's table). */
export const ROLE_LABELS = {
  slug: "Slug",
  weight: "Weight",
  defaults: "Default values",
  category: "Category",
  type: "Type",
  defaultValue: "Default",
  defaultText: "Default",
  defaultChecked: "Default",
  scope: "Scope",
} as const;
