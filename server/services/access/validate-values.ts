/**
 * Validates permission values ([{ slug, value }]) against the tenant's catalog: the slug must exist (and be a
 * unit-level right when values are set at a unit) and the value must have the right's type. A failure is a 422
 * naming the offending field (`user_permissions[1].value`), so callers can fix the exact item.
 */
import type { RightDef, RightType, RightValue } from "../../authz/catalog.ts";
import { AppError, AppErrorCode, type FieldIssue } from "../../errors.ts";

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** Null when `value` fits `type`, else what is wrong with it. */
export function typeProblem(type: RightType, value: unknown): string | null {
  switch (type) {
    case "BOOLEAN":
      return typeof value === "boolean" ? null : "must be a boolean";
    case "INTEGER":
      return isInt(value) && value >= -1 ? null : "must be an integer (-1 = unlimited)";
    case "ENTITY_ID":
      return value === null || (isInt(value) && value >= 0) ? null : "must be an entity id (0 = all) or null";
    case "ID_LIST":
      return Array.isArray(value) && value.length <= 1000 && value.every((x) => isInt(x) && x >= 0)
        ? null
        : "must be a list of entity ids ([0] = all)";
  }
}

export type ValidatedValue = { def: RightDef; value: RightValue };

/**
 * Checks every item and throws one 422 listing all issues (the message names the first). `path` is the field name
 * the caller used for the list; `unitScoped` refuses tenant-level rights (the console's system permissions).
 */
export function validateValues(
  catalog: readonly RightDef[],
  items: ReadonlyArray<{ slug: string; value: unknown }>,
  path: string,
  opts: { unitScoped?: boolean } = {},
): ValidatedValue[] {
  const bySlug = new Map(catalog.map((d) => [d.slug, d]));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const out: ValidatedValue[] = [];
  items.forEach((item, i) => {
    const def = bySlug.get(item.slug);
    if (!def || (opts.unitScoped && def.scope !== "UNIT")) {
      issues.push({ path: `${path}[${i}].slug`, message: `unknown permission "${item.slug}"` });
      return;
    }
    if (seen.has(item.slug)) {
      issues.push({ path: `${path}[${i}].slug`, message: `"${item.slug}" is listed twice` });
      return;
    }
    seen.add(item.slug);
    const problem = typeProblem(def.type, item.value);
    if (problem) {
      issues.push({ path: `${path}[${i}].value`, message: `${problem} for "${item.slug}"` });
      return;
    }
    out.push({ def, value: item.value as RightValue });
  });
  const first = issues[0];
  if (first) throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${first.path}: ${first.message}`, issues });
  return out;
}
