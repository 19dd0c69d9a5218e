/**
 * The member CSV: one column list shared by the import and the members export (issue 9), so an export re-imports.
 * A header row is required; column order is free; `roles` holds tenant role slugs separated by ";".
 */
import { z } from "zod";
import { ZEmail } from "../../auth/email.schema.ts";
import { ZPhone, ZRoleSlug } from "./members.schema.ts";

export const MEMBER_CSV_COLUMNS = ["email", "first_name", "last_name", "display_name", "phone", "roles"] as const;
export type MemberCsvColumn = (typeof MEMBER_CSV_COLUMNS)[number];
export const MEMBER_CSV_ROLE_SEPARATOR = ";";

/** The REST door's caps (the CLI has none): more rows, or a bigger body, is 413. */
export const MAX_IMPORT_ROWS = 10_000;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export const IMPORT_MODES = ["atomic", "per_row"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const ZImportMembersInput = z.strictObject({
  csv: z.string(),
  /** Validate and report, write nothing. */
  dryRun: z.boolean().default(false),
  /** atomic: any bad row and nothing is written (422 with every row's result); per_row: good rows written. */
  mode: z.enum(IMPORT_MODES).default("atomic"),
  /**
   * true (the operator's CLI, system actor only): people become ACTIVE members at once, accounts created as needed.
   * false (REST): addresses that are not members get invitations; nobody is added to a tenant silently.
   */
  activate: z.boolean().default(false),
  /** Rows above this are refused with 413 (REST: MAX_IMPORT_ROWS). */
  maxRows: z.number().int().positive().optional(),
});
export type TImportMembersInput = z.input<typeof ZImportMembersInput>;

/**
 * One data row's cells, one schema per column (a row is checked cell by cell, which keeps 100,000 rows quick);
 * a missing column is an empty cell.
 */
export const ZImportCell = {
  email: ZEmail,
  first_name: z.string().trim().max(100),
  last_name: z.string().trim().max(100),
  display_name: z.string().trim().max(100),
  phone: ZPhone,
  roles: z.array(ZRoleSlug).max(20),
} satisfies Record<MemberCsvColumn, z.ZodType>;

export type TImportRow = {
  email: string; first_name: string | null; last_name: string | null; display_name: string | null; phone: string | null; roles: string[];
};

export type ImportRowStatus = "created" | "invited" | "exists" | "error";
/** `row` is the line of the file the record starts on (the header is line 1), as a spreadsheet numbers it. */
export type TImportRowResult = { row: number; email: string; status: ImportRowStatus; error?: string };

export type TImportMembersOutput = {
  dryRun: boolean;
  mode: ImportMode;
  /** Whether anything was written (false for a dry run, and for an atomic import with a bad row). */
  written: boolean;
  rows: number;
  counts: Record<ImportRowStatus, number>;
  results: TImportRowResult[];
};
