/**
 * Imports people from a member CSV (import-members.schema.ts), set-based: however many rows, a fixed handful of
 * multi-row statements (arrays bound as PostgreSQL arrays and unnested), in one transaction.
 * - activate (the operator's CLI, system actor): people become ACTIVE members; accounts that do not exist are created
 *   without a password and unverified (no email is sent: they set a password with "Forgot password?", which also
 *   confirms the address). Existing accounts keep their own profile.
 * - otherwise (REST): every address that is not a member gets an invitation, emailed, with the same rules as
 *   createInvitation (expiry from tenant settings, one pending invitation per address, the token stored as a hash).
 *   Nobody is added to a tenant silently.
 * Every row is validated first (email, names, phone, role slugs, duplicates in the file, the actor's grant ceiling);
 * a role the actor could not grant by hand is that row's error, like any other bad value. Atomic (default): any bad
 * row and nothing is written (ImportRejectedError, 422, with every row's result); per_row: the good rows are written.
 * Already a member (or, for invitations, already invited) is `exists`, so a re-import changes nothing.
 * Audit: one `members.imported` event for the batch plus one per member (`member.added`) or invitation
 * (`invitation.created`), inserted as one statement.
 */
import crypto from "node:crypto";
import { parse } from "csv-parse/sync";
import { assertCan, type Actor } from "../../authz/actor.ts";
import { DEFAULT_MEMBER_ROLE } from "../../authz/roles.ts";
import { auditEventsSql, recordAuditEvents, SYSTEM_ACTOR, type TenantAuditEventInput } from "../../audit/record.ts";
import { Prisma } from "../../db/generated/client.ts";
import type { Db, Tx } from "../../db/client.ts";
import { jitOff } from "../../db/sql.ts";
import { invitationEmail } from "../../email/index.ts";
import { queueEmails } from "../../email/queue-email.ts";
import { AppError, AppErrorCode, type FieldIssue } from "../../errors.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { expiryFrom, inviteLink, inviterNameOf, loadTenantForInvites, newInviteToken } from "../invitations/invitation-record.ts";
import { parseInput } from "../parse.ts";
import {
  MEMBER_CSV_COLUMNS, MEMBER_CSV_ROLE_SEPARATOR, ZImportCell, ZImportMembersInput, type ImportMode, type ImportRowStatus, type MemberCsvColumn,
  type TImportMembersInput, type TImportMembersOutput, type TImportRow, type TImportRowResult,
} from "./import-members.schema.ts";
import { authorityOf } from "./member-record.ts";

/** An atomic import with a bad row: nothing was written; `report` holds every row's result. A 422. */
export class ImportRejectedError extends AppError {
  constructor(readonly report: TImportMembersOutput) {
    const bad = report.results.filter((r) => r.status === "error");
    const first = bad[0]!;
    super(AppErrorCode.UNPROCESSABLE, {
      userMessage: `Nothing was imported: ${bad.length} of ${report.rows} rows are invalid (first: row ${first.row}, ${first.error}).`,
      issues: bad.slice(0, 100).map((r): FieldIssue => ({ path: `row ${r.row}`, message: r.error! })),
    });
  }
}

type RoleRow = { id: number; slug: string; title: string; weight: number };
type Good = { row: number; data: TImportRow; roles: RoleRow[] };
type Lookup = { email: string; userId: number | null; membershipId: number | null; invitationId: number | null; invitationExpired: boolean | null };

export async function importMembers(db: Db, actor: Actor, input: TImportMembersInput): Promise<TImportMembersOutput> {
  const opts = parseInput(ZImportMembersInput, input);
  if (opts.activate) {
    // Adding people without their consent is the operator's bootstrap only; everyone else invites.
    if (actor.kind !== "system") throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. Only the operator's CLI adds members directly; an import over the API invites them." });
    assertCan(actor, "members.update");
  } else {
    assertCan(actor, "members.invite");
  }
  const records = parseMemberCsv(opts.csv, opts.maxRows);

  const results: TImportRowResult[] = [];
  const parsed: { row: number; data: TImportRow }[] = [];
  const firstRowOf = new Map<string, number>();
  for (const r of records) {
    if (r.error) {
      results.push({ row: r.row, email: (r.cells.email ?? "").trim(), status: "error", error: r.error });
      continue;
    }
    const check = checkRow(r.cells);
    if ("error" in check) {
      results.push({ row: r.row, email: (r.cells.email ?? "").trim(), status: "error", error: check.error });
      continue;
    }
    const first = firstRowOf.get(check.email);
    if (first !== undefined) {
      results.push({ row: r.row, email: check.email, status: "error", error: `email: listed twice in this file (first on row ${first})` });
      continue;
    }
    firstRowOf.set(check.email, r.row);
    parsed.push({ row: r.row, data: check });
    results.push({ row: r.row, email: check.email, status: "created" });
  }
  const resultOf = new Map(results.map((r) => [r.row, r]));

  // Roles: the tenant's few definitions, read once; the ceiling is the one setMemberRoles and invitations apply.
  const good: Good[] = [];
  if (parsed.length > 0) {
    const tenantRoles = await db.role.findMany({ where: { tenantId: actor.tenantId }, select: { id: true, slug: true, title: true, weight: true } });
    const bySlug = new Map(tenantRoles.map((r) => [r.slug, r]));
    const authority = await authorityOf(db, actor);
    for (const p of parsed) {
      const slugs = p.data.roles.length ? p.data.roles : [DEFAULT_MEMBER_ROLE];
      const unknown = slugs.filter((s) => !bySlug.has(s));
      const roles = slugs.flatMap((s) => bySlug.get(s) ?? []);
      const above = roles.filter((r) => !authority.mayAssign(r));
      const error = unknown.length
        ? `roles: no role ${unknown.map((s) => `"${s}"`).join(", ")} in this tenant`
        : above.length ? `roles: access denied, you cannot grant the role ${above.map((r) => `"${r.slug}"`).join(", ")}` : null;
      if (error) Object.assign(resultOf.get(p.row)!, { status: "error", error });
      else good.push({ ...p, roles: [...roles].sort((a, b) => b.weight - a.weight || a.slug.localeCompare(b.slug)) });
    }
  }

  // Who is a member (or invited) already: one statement for every address in the file. Activating skips it: the
  // membership insert's ON CONFLICT finds the members anyway (and a read beforehand could not be trusted).
  const lookup = good.length && (opts.dryRun || !opts.activate) ? await lookUp(db, actor.tenantId, good.map((g) => g.data.email)) : new Map<string, Lookup>();
  const toWrite: Good[] = [];
  for (const g of good) {
    const l = lookup.get(g.data.email);
    const invited = !opts.activate && l?.invitationId != null && !l.invitationExpired;
    if (l?.membershipId != null || invited) resultOf.get(g.row)!.status = "exists";
    else {
      resultOf.get(g.row)!.status = opts.activate ? "created" : "invited";
      toWrite.push(g);
    }
  }

  const report = (written: boolean): TImportMembersOutput => ({
    dryRun: opts.dryRun, mode: opts.mode, written, rows: results.length, counts: countsOf(results), results,
  });
  const errors = results.some((r) => r.status === "error");
  if (opts.dryRun) return report(false);
  if (errors && opts.mode === "atomic") throw new ImportRejectedError(report(false));
  if (toWrite.length === 0) return report(false);

  if (opts.activate) await activate(db, actor, toWrite, resultOf);
  else await invite(db, actor, toWrite, lookup, resultOf, opts.mode);
  return report(results.some((r) => r.status === "created" || r.status === "invited"));
}

function countsOf(results: readonly TImportRowResult[]): Record<ImportRowStatus, number> {
  const counts: Record<ImportRowStatus, number> = { created: 0, invited: 0, exists: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** One row's cells checked column by column; every bad cell is named, `column: message; column: message`. */
function checkRow(cells: Partial<Record<MemberCsvColumn, string>>): TImportRow | { error: string } {
  const errors: string[] = [];
  const cell = <T>(column: MemberCsvColumn, value: unknown, fallback: T): T => {
    const r = ZImportCell[column].safeParse(value);
    if (r.success) return r.data as T;
    errors.push(`${column}: ${r.error.issues[0]?.message ?? "invalid"}`);
    return fallback;
  };
  const optional = (column: MemberCsvColumn) => {
    const v = cells[column]?.trim();
    return v ? cell<string>(column, v, v) : null;
  };
  const email = cells.email?.trim() ? cell("email", cells.email, "") : (errors.push("email: required"), "");
  const row = {
    email,
    first_name: optional("first_name"), last_name: optional("last_name"), display_name: optional("display_name"), phone: optional("phone"),
    roles: cells.roles?.trim()
      ? cell<string[]>("roles", [...new Set(cells.roles.split(MEMBER_CSV_ROLE_SEPARATOR).map((x) => x.trim()).filter(Boolean))], [])
      : [],
  };
  return errors.length ? { error: errors.join("; ") } : row;
}

type CsvRecord = { row: number; cells: Partial<Record<MemberCsvColumn, string>>; error?: string };

/**
 * The records of a member CSV with the line each starts on (blank lines skipped). 422 for a file that is not CSV,
 * has no header, names an unknown or repeated column or lacks `email`; 413 over `maxRows`. A record with the wrong
 * number of cells is that row's error.
 */
export function parseMemberCsv(csv: string, maxRows?: number): CsvRecord[] {
  let rows: string[][];
  try {
    // No `info`: it costs more than the parse itself at 100,000 rows; lines are counted below instead.
    rows = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `The file is not valid CSV: ${message}`, issues: [{ path: "csv", message }] });
  }
  const blank = (r: string[]) => r.length === 1 && r[0]!.trim() === "";
  const newlines = (r: string[]) => {
    let n = 0;
    for (const v of r) for (let k = v.indexOf("\n"); k >= 0; k = v.indexOf("\n", k + 1)) n++;
    return n;
  };
  let line = 1;
  let at = 0;
  while (at < rows.length && blank(rows[at]!)) (line++, at++);
  const headerRecord = rows[at];
  if (!headerRecord) throw csvError(`the file is empty: a header row naming the columns is required (${MEMBER_CSV_COLUMNS.join(", ")})`);
  const header = headerRecord.map((h) => h.trim().toLowerCase());
  const known = new Set<string>(MEMBER_CSV_COLUMNS);
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length) {
    throw csvError(`unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((h) => `"${h}"`).join(", ")} (the columns are ${MEMBER_CSV_COLUMNS.join(", ")})`);
  }
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length) throw csvError(`column "${repeated[0]}" appears twice in the header`);
  if (!header.includes("email")) throw csvError("the header has no email column");
  line += 1 + newlines(headerRecord);
  const columns = header as MemberCsvColumn[];
  const out: CsvRecord[] = [];
  for (let i = at + 1; i < rows.length; i++) {
    const record = rows[i]!;
    const row = line;
    line += 1 + newlines(record);
    if (blank(record)) continue;
    const cells: Partial<Record<MemberCsvColumn, string>> = {};
    for (let c = 0; c < columns.length && c < record.length; c++) cells[columns[c]!] = record[c]!;
    out.push(record.length === columns.length ? { row, cells } : { row, cells, error: `row: ${record.length} cells, the header has ${columns.length}` });
  }
  if (maxRows !== undefined && out.length > maxRows) {
    throw new AppError(AppErrorCode.PAYLOAD_TOO_LARGE, { userMessage: `The file has ${out.length} rows; an import takes at most ${maxRows}.` });
  }
  return out;
}

const csvError = (message: string) => new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid CSV: ${message}`, issues: [{ path: "csv", message }] });

async function lookUp(db: Db, tenantId: number, emails: string[]): Promise<Map<string, Lookup>> {
  const rows = await db.$queryRaw<Lookup[]>`
    SELECT e.email, u."id" AS "userId", m."id" AS "membershipId", i."id" AS "invitationId",
      (i."expiresAt" <= (now() AT TIME ZONE 'UTC')) AS "invitationExpired"
    FROM unnest(${emails}::text[]) AS e(email)
    LEFT JOIN "User" u ON u."email" = e.email
    LEFT JOIN "Membership" m ON m."tenantId" = ${tenantId}::int AND m."userId" = u."id"
    LEFT JOIN "Invitation" i ON i."tenantId" = ${tenantId}::int AND i."pendingKey" = e.email AND i."status" = 'PENDING'`;
  return new Map(rows.map((r) => [r.email, r]));
}

const ts = (d: Date) => d.toISOString();
const TX_OPTIONS = { timeout: 300_000, maxWait: 30_000 } as const;

/**
 * Accounts for the rows' addresses: created (no password, unverified) where none exists, in one statement that
 * returns every address's user id. The main query cannot see the CTE's inserts, so each address comes back once.
 */
async function ensureUsers(tx: Tx, rows: readonly Good[], now: Date): Promise<Map<string, { id: number; created: boolean }>> {
  const col = (f: (d: TImportRow) => string | null) => rows.map((r) => f(r.data));
  const users = await tx.$queryRaw<{ id: number; email: string; created: boolean }[]>`
    WITH input AS (
      SELECT * FROM unnest(${col((d) => d.email)}::text[], ${col((d) => d.first_name)}::text[], ${col((d) => d.last_name)}::text[],
        ${col((d) => d.display_name)}::text[], ${col((d) => d.phone)}::text[]) AS t(email, first_name, last_name, display_name, phone)
    ), inserted AS (
      INSERT INTO "User" ("email", "firstName", "lastName", "displayName", "phone", "createdAt", "updatedAt")
      SELECT email, first_name, last_name, display_name, phone, ${ts(now)}::timestamp(3), ${ts(now)}::timestamp(3) FROM input
      ON CONFLICT ("email") DO NOTHING
      RETURNING "id", "email"
    )
    SELECT "id", "email", true AS "created" FROM inserted
    UNION ALL
    SELECT u."id", u."email", false FROM "User" u JOIN input ON u."email" = input.email`;
  return new Map(users.map((u) => [u.email, { id: u.id, created: u.created }]));
}

/** A row that a concurrent change made unwritable after validation (another import, a fresh signup). */
function raced(resultOf: Map<number, TImportRowResult>, row: number, status: ImportRowStatus, mode: ImportMode) {
  if (mode === "atomic" && status === "error") throw new AppError(AppErrorCode.CONFLICT, { userMessage: `Row ${row} changed while importing; nothing was imported. Try again.` });
  Object.assign(resultOf.get(row)!, { status, ...(status === "error" ? { error: "changed while importing, try again" } : {}) });
}

/**
 * The operator's import in one statement: data-modifying CTEs create the missing accounts, the memberships (a member
 * already is `exists`: ON CONFLICT), their roles and the audit rows, and the statement returns only the addresses that
 * became members. Nothing row-sized travels back to be matched up, which at 100,000 rows is most of the cost.
 */
async function activate(db: Db, actor: Actor, rows: Good[], resultOf: Map<number, TImportRowResult>): Promise<void> {
  const now = new Date();
  const at = ts(now);
  const col = (f: (r: Good) => string | null) => rows.map(f);
  const errors = [...resultOf.values()].filter((r) => r.status === "error").length;
  const [out] = await db.$transaction(async (tx) => {
    await jitOff(tx);
    return tx.$queryRaw<{ emails: string[] }[]>`
      WITH input AS (
        SELECT * FROM unnest(${col((r) => r.data.email)}::text[], ${col((r) => r.data.first_name)}::text[], ${col((r) => r.data.last_name)}::text[],
          ${col((r) => r.data.display_name)}::text[], ${col((r) => r.data.phone)}::text[],
          ${col((r) => r.roles.map((x) => x.slug).join(MEMBER_CSV_ROLE_SEPARATOR))}::text[], ${col((r) => r.roles.map((x) => x.id).join(","))}::text[])
          WITH ORDINALITY AS t(email, first_name, last_name, display_name, phone, role_slugs, role_ids, ord)
      ), new_users AS (
        INSERT INTO "User" ("email", "firstName", "lastName", "displayName", "phone", "createdAt", "updatedAt")
        SELECT email, first_name, last_name, display_name, phone, ${at}::timestamp(3), ${at}::timestamp(3) FROM input ORDER BY ord
        ON CONFLICT ("email") DO NOTHING
        RETURNING "id", "email", "firstName", "lastName", "displayName", "searchText", "lastLoginAt"
      ), users AS (
        -- The statement's snapshot predates new_users' rows, so each address comes from exactly one side.
        SELECT "id", "email", "firstName", "lastName", "displayName", "searchText", "lastLoginAt" FROM new_users
        UNION ALL
        -- = ANY keeps this an index lookup per address; a join on the CTE let the planner scan every user instead.
        SELECT u."id", u."email", u."firstName", u."lastName", u."displayName", u."searchText", u."lastLoginAt" FROM "User" u WHERE u."email" = ANY(${col((r) => r.data.email)}::text[])
      ), members AS (
        -- The sort keys (last login included) and the search text are the person's (an existing account keeps its own
        -- names), given here because the users inserted by this statement are not visible to the membership trigger.
        INSERT INTO "Membership" ("tenantId", "userId", "status", "kind", "hasFullAccess", "createdAt", "updatedAt", "sortName", "sortEmail", "searchText", "sortLastLoginAt")
        SELECT ${actor.tenantId}::int, users."id", 'ACTIVE'::"MembershipStatus", 'MEMBER'::"MemberKind", false, ${at}::timestamp(3), ${at}::timestamp(3),
               "member_sort_name"(users."displayName", users."firstName", users."lastName", users."email"), users."email", users."searchText", users."lastLoginAt"
        FROM users JOIN input ON input.email = users."email" ORDER BY input.ord
        ON CONFLICT ("tenantId", "userId") DO NOTHING
        RETURNING "id", "userId"
      ), added AS (
        SELECT members."id" AS membership_id, members."userId" AS user_id, input.email, input.role_slugs, input.role_ids
        FROM members JOIN users ON users."id" = members."userId" JOIN input ON input.email = users."email"
      ), member_roles AS (
        INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId")
        SELECT added.membership_id, r.id, ${actor.tenantId}::int FROM added, unnest(string_to_array(added.role_ids, ',')::int[]) AS r(id)
      ), member_events AS (
        ${auditEventsSql({
          actor, tenantId: actor.tenantId, action: "member.added", targetType: "membership", now, from: Prisma.sql`added`, targetId: Prisma.sql`added.membership_id`,
          after: Prisma.sql`jsonb_build_object('userId', added.user_id, 'email', added.email, 'role', split_part(added.role_slugs, ${MEMBER_CSV_ROLE_SEPARATOR}, 1),
            'roles', to_jsonb(string_to_array(added.role_slugs, ${MEMBER_CSV_ROLE_SEPARATOR})), 'unitIds', '[]'::jsonb, 'kind', 'MEMBER', 'source', 'import')`,
        })}
      ), batch_event AS (
        ${auditEventsSql({
          actor, tenantId: actor.tenantId, action: "members.imported", targetType: "tenant", now, from: Prisma.sql`(SELECT count(*)::int AS n FROM added) AS c`,
          targetId: Prisma.sql`${actor.tenantId}::int`,
          after: Prisma.sql`jsonb_build_object('source', 'cli', 'rows', ${resultOf.size}::int, 'created', c.n, 'invited', 0,
            'exists', ${resultOf.size - errors}::int - c.n, 'error', ${errors}::int)`,
        })}
      )
      SELECT coalesce(array_agg(email), '{}') AS emails FROM added`;
  }, TX_OPTIONS);
  const created = new Set(out?.emails ?? []);
  for (const r of rows) if (!created.has(r.data.email)) resultOf.get(r.row)!.status = "exists";
}

function batchEvent(actor: Actor, resultOf: Map<number, TImportRowResult>, source: "cli" | "api"): TenantAuditEventInput {
  return {
    actor, tenantId: actor.tenantId, action: "members.imported", targetType: "tenant", targetId: actor.tenantId,
    after: { source, rows: resultOf.size, ...countsOf([...resultOf.values()]) },
  };
}

/** A raw token that occurs nowhere in a rendered email but its link, swapped for each invitation's own. */
const TOKEN_PLACEHOLDER = `rsvimportplaceholder${crypto.randomBytes(8).toString("hex")}`;

async function invite(
  db: Db, actor: Actor, rows: Good[], lookup: Map<string, Lookup>, resultOf: Map<number, TImportRowResult>, mode: ImportMode,
): Promise<void> {
  // Every invitation counts against the tenant's invitation limit, as a bulk invite does; a file that could never
  // fit in one window gets a 422 saying so rather than a 429 whose Retry-After would never help.
  const invites = limit("invitesTenant");
  if (rows.length > invites.points) {
    throw new AppError(AppErrorCode.UNPROCESSABLE, {
      userMessage: `This import would send ${rows.length} invitations; this tenant may send at most ${invites.points} in ${invites.windowMs / 60_000} minutes (RATE_LIMIT_${invites.name}). Split the file, or ask the operator to raise the limit.`,
    });
  }
  await enforce(db, `invites:tenant:${actor.tenantId}`, invites, { cost: rows.length, what: "invitations for this tenant" });
  const tenant = await loadTenantForInvites(db, actor.tenantId);
  const inviterName = await inviterNameOf(db, actor);
  const now = new Date();
  const expiresAt = expiryFrom(tenant, now);
  // Rendering is the slow part of an invitation: render once per role title and put each link in afterwards.
  const rendered = new Map<string, Awaited<ReturnType<typeof invitationEmail>>>();
  const placeholderUrl = inviteLink(tenant, TOKEN_PLACEHOLDER);
  for (const title of new Set(rows.map((r) => r.roles[0]!.title))) {
    rendered.set(title, await invitationEmail({ tenantName: tenant.name, inviterName, message: null, acceptUrl: placeholderUrl, expiresAt, roleTitle: title }));
  }
  const tokens = rows.map(() => newInviteToken());
  const stale = rows.flatMap((r) => (lookup.get(r.data.email)?.invitationExpired ? [lookup.get(r.data.email)!.invitationId!] : []));

  await db.$transaction(async (tx) => {
    await jitOff(tx);
    // A pending invitation whose time ran out blocks nothing: mark it EXPIRED (releasing its pendingKey) first.
    if (stale.length) {
      const expired = await tx.$queryRaw<{ id: number }[]>`
        UPDATE "Invitation" SET "status" = 'EXPIRED', "pendingKey" = NULL, "decidedAt" = ${ts(now)}::timestamp(3), "updatedAt" = ${ts(now)}::timestamp(3)
        WHERE "tenantId" = ${actor.tenantId}::int AND "status" = 'PENDING' AND "id" = ANY(${stale}::int[])
        RETURNING "id"`;
      await recordAuditEvents(tx, expired.map((s) => ({ actor: SYSTEM_ACTOR, tenantId: actor.tenantId, action: "invitation.expired" as const, targetType: "invitation", targetId: s.id })), now);
    }
    const users = await ensureUsers(tx, rows, now);
    // The same two refusals as createInvitation, folded into the insert: a member gets none, a pending one blocks.
    const created = await tx.$queryRaw<{ id: number; email: string }[]>`
      INSERT INTO "Invitation" ("tenantId", "kind", "email", "userId", "status", "pendingKey", "tokenHash", "roles", "unitGrants",
        "invitedById", "expiresAt", "sendCount", "lastSentAt", "createdAt", "updatedAt")
      SELECT ${actor.tenantId}::int, 'MEMBER'::"MemberKind", i.email, i.user_id, 'PENDING'::"InvitationStatus", i.email, i.token_hash,
        string_to_array(i.roles, ${MEMBER_CSV_ROLE_SEPARATOR}), '[]'::jsonb, ${actor.userId}::int, ${ts(expiresAt)}::timestamp(3), 1,
        ${ts(now)}::timestamp(3), ${ts(now)}::timestamp(3), ${ts(now)}::timestamp(3)
      FROM unnest(${rows.map((r) => r.data.email)}::text[], ${rows.map((r) => users.get(r.data.email)?.id ?? null)}::int[],
        ${tokens.map((t) => t.hash)}::text[], ${rows.map((r) => r.roles.map((x) => x.slug).join(MEMBER_CSV_ROLE_SEPARATOR))}::text[])
        WITH ORDINALITY AS i(email, user_id, token_hash, roles, ord)
      WHERE NOT EXISTS (SELECT 1 FROM "Membership" m WHERE m."tenantId" = ${actor.tenantId}::int AND m."userId" = i.user_id)
      ORDER BY i.ord
      ON CONFLICT ("tenantId", "pendingKey") DO NOTHING
      RETURNING "id", "email"`;
    const invitationOf = new Map(created.map((c) => [c.email, c.id]));
    const done = rows.flatMap((r, k) => {
      const id = invitationOf.get(r.data.email);
      if (id === undefined) raced(resultOf, r.row, "exists", mode);
      return id === undefined ? [] : [{ ...r, invitationId: id, token: tokens[k]! }];
    });
    await recordAuditEvents(tx, [
      batchEvent(actor, resultOf, "api"),
      ...done.map((r): TenantAuditEventInput => ({
        actor, tenantId: actor.tenantId, action: "invitation.created", targetType: "invitation", targetId: r.invitationId,
        after: { email: r.data.email, phone: null, kind: "MEMBER", roles: r.roles.map((x) => x.slug), unitGrants: [], sendEmail: true, expiresAt: ts(expiresAt), source: "import" },
      })),
    ], now);
    await queueEmails(tx, done.map((r) => {
      const m = rendered.get(r.roles[0]!.title)!;
      const swap = (s: string) => s.split(TOKEN_PLACEHOLDER).join(r.token.raw);
      return {
        subject: swap(m.subject), text: swap(m.text), html: swap(m.html), to: r.data.email, tenantId: tenant.id, kind: "invitation" as const,
        refType: "invitation", refId: String(r.invitationId),
      };
    }), now);
  }, TX_OPTIONS);
}
