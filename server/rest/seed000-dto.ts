/**
 * Seed 000's wire shapes for the access core (WIRE.md, "Seed 000"): path ids, request bodies (validated here so a
 * 422 names the wire's own field), and mappers from service outputs to the exact snake_case DTOs. Field names are
 * a contract: add keys, never rename or remove them.
 */
import { z } from "zod";
import type { RightValue } from "../authz/catalog.ts";
import { AppError, AppErrorCode, isAppError } from "../errors.ts";
import { MAX_BATCH, ZValueInput, type TBatchOutput, type TUnitAccess } from "../services/access/access.schema.ts";
import type { TPermissionNode, TRoleOut } from "../services/roles/roles.schema.ts";
import type { TUnitUser } from "../services/units/units.schema.ts";
import type { UnitUserRow } from "../services/units/unit-user-rows.ts";
import { displayNameOf } from "../auth/credentials.ts";

/** A numeric path id; anything else (letters, signs, overflow) is a 404, never a 500. */
export function pathId(raw: string | undefined): number {
  if (!raw || !/^[1-9][0-9]{0,9}$/.test(raw)) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Not found." });
  const n = Number(raw);
  if (n > 2_147_483_647) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Not found." });
  return n;
}

const flag = (name: string, raw: string | null): boolean | undefined => {
  if (raw === null) return undefined;
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${name}: must be 1 or 0`, issues: [{ path: name, message: "must be 1 or 0" }] });
};
export const approvedFilter = (url: URL) => flag("filter[is_approved]", url.searchParams.get("filter[is_approved]"));
export const dryRunFlag = (url: URL) => flag("dry_run", url.searchParams.get("dry_run")) ?? false;
export const includesPermissions = (url: URL) => (url.searchParams.get("include") ?? "").split(",").includes("user_permissions");

const ZPositiveId = z.number().int().positive().max(2_147_483_647);

export const ZPutPermissionsBody = z.strictObject({
  user_role: z.string().min(1).max(64).nullable().optional(),
  user_permissions: z.array(ZValueInput).max(MAX_BATCH).default([]),
  staff_id: ZPositiveId.nullable().optional(),
});
export const ZCopyBody = z.strictObject({
  user_company_links: z.array(z.strictObject({ company_id: ZPositiveId, user_permissions: z.array(ZValueInput).max(MAX_BATCH).optional() })).min(1).max(MAX_BATCH),
});
export const ZRemoveBody = z.strictObject({
  user_company_links: z.array(z.strictObject({ company_id: ZPositiveId })).min(1).max(MAX_BATCH),
});

const WIRE_NAMES: [RegExp, string][] = [
  [/\blinks\b/g, "user_company_links"],
  [/\bpermissions\b/g, "user_permissions"],
  [/\bunitId\b/g, "company_id"],
  [/\bstaffId\b/g, "staff_id"],
  [/^role\b/g, "user_role"],
];
const rename = (s: string) => WIRE_NAMES.reduce((acc, [re, to]) => acc.replace(re, to), s);

/** Runs a service call and renames the field paths of its 422s to the wire's names (`links[0]` → `user_company_links[0]`). */
export async function withWireNames<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isAppError(e) && e.code === AppErrorCode.UNPROCESSABLE && e.issues) {
      const issues = e.issues.map((i) => ({ path: rename(i.path), message: i.message }));
      const first = issues[0]!;
      throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${first.path}: ${first.message}`, issues });
    }
    throw e;
  }
}

export const toLocationUser = (u: TUnitUser) => ({
  id: u.userId, name: u.name, phone: u.phone, email: u.email, information: u.information, is_approved: u.isApproved, is_non_deletable: u.isNonDeletable,
});

export const DEPRECATED_ACCESS_KEYS = [
  "stat_access", "schedule_edit_access", "client_phones_access", "clients_access", "settings_access", "edit_records_access", "timetable_access",
  "billing_access", "users_access", "excel_access", "finances_access", "storages_access", "send_sms", "master_id",
] as const;

export const toCompanyUser = (u: TUnitUser) => ({
  id: u.userId, firstname: u.firstName ?? u.name, login: u.email, email: u.email, phone: u.phone, information: u.information,
  access: Object.fromEntries(
    DEPRECATED_ACCESS_KEYS.map((k) => [k, k === "master_id" ? (u.values[k] ?? null) : u.values[k] === true]),
  ) as Record<(typeof DEPRECATED_ACCESS_KEYS)[number], RightValue>,
});

/** #11's `access` rights as listUnitUserRows computes them: booleans as flags, master_id as its value. */
export const DEPRECATED_ACCESS_RIGHTS = DEPRECATED_ACCESS_KEYS.map((slug) => ({ slug, as: slug === "master_id" ? ("value" as const) : ("flag" as const) }));

/** One #1 row, serialised: the same keys, order and values as toLocationUser of listUnitUsers' row. */
export const locationUserJson = (u: UnitUserRow): string =>
  JSON.stringify({
    id: u.userId, name: displayNameOf(u), phone: u.phone, email: u.email, information: u.information, is_approved: u.isApproved, is_non_deletable: u.isNonDeletable,
  });

/** One #11 row, serialised: the same keys, order and values as toCompanyUser of listUnitUsers' row. */
export function companyUserJson(u: UnitUserRow): string {
  const values = u.access ?? {};
  const access: Record<string, RightValue> = {};
  for (const k of DEPRECATED_ACCESS_KEYS) access[k] = k === "master_id" ? (values[k] ?? null) : values[k] === true;
  return JSON.stringify({ id: u.userId, firstname: u.firstName ?? displayNameOf(u), login: u.email, email: u.email, phone: u.phone, information: u.information, access });
}

export const toUserPermissions = (a: TUnitAccess) => ({
  user_role: a.role, staff_id: a.staffId, is_editable: a.isEditable,
  user_permissions: a.permissions.map((p) => ({ slug: p.slug, value: p.value })),
});

type WireNode = {
  slug: string; title: string; hint: string; is_recommended: boolean; is_editable: boolean; default_value: RightValue; entity_name: string | null;
  children: WireNode[]; options: { title: string; value: RightValue; is_disabled: boolean }[];
  type: { slug: string; all_access_value: RightValue; no_access_value: RightValue };
};
const toNode = (n: TPermissionNode): WireNode => ({
  slug: n.slug, title: n.title, hint: n.hint, is_recommended: n.isRecommended, is_editable: n.isEditable, default_value: n.defaultValue,
  entity_name: n.entityName, children: n.children.map(toNode), options: n.options.map((o) => ({ title: o.title, value: o.value, is_disabled: o.isDisabled })),
  type: { slug: n.type.slug, all_access_value: n.type.allAccessValue, no_access_value: n.type.noAccessValue },
});

export const toRole = (r: TRoleOut, include: boolean) => ({
  slug: r.slug, title: r.title, description: r.description, weight: r.weight,
  ...(include && r.permissions ? { user_permissions: r.permissions.map(toNode) } : {}),
});

export const toBatchMeta = (out: TBatchOutput) => ({
  dry_run: out.dryRun,
  results: out.results.map((r) => ({ company_id: r.unitId, result: r.result })),
});
