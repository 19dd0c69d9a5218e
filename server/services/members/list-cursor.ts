/**
 * Keyset pagination for the members list: a cursor names the sort keys of a row (and which side of it the page is
 * on), so the next page starts from that row instead of skipping `OFFSET` rows. With OFFSET a page 2,000 deep read
 * and threw away 99,950 rows; with a cursor it reads its own rows (on the sort's index where the keys allow a seek).
 *
 * The cursor is opaque to clients (base64url JSON) and carries only sort keys the caller already saw on the row it
 * came from; it is checked against the request's sort and direction, and its values are bound as parameters. Filters
 * are not in it: a cursor used under other filters is simply a position in that other list.
 */
import { AppError, AppErrorCode } from "../../errors.ts";
import { Prisma } from "../../db/generated/client.ts";

export type MemberSort = "name" | "email" | "lastLogin" | "createdAt";
export type Side = "after" | "before";
type KeyKind = "text" | "time" | "id";
/**
 * One sort key: its column in the page query (`m` Membership) and in the outer select over the page's rows
 * (`p`), whether it can be NULL (NULLs sort last either way, so a page of real names comes first), its type.
 */
export type SortKey = { field: SortField; inner: Prisma.Sql; outer: Prisma.Sql; nullable: boolean; kind: KeyKind };
/** The page row's columns a sort reads (the page query selects each under this name). */
type SortField = "id" | "sortName" | "sortEmail" | "sortLastLoginAt" | "createdAt";
export type KeyValue = string | number | null;
export type Cursor = { side: Side; keys: KeyValue[] };

const ID: SortKey = { field: "id", inner: Prisma.sql`m."id"`, outer: Prisma.sql`p."id"`, nullable: false, kind: "id" };
const EMAIL: SortKey = { field: "sortEmail", inner: Prisma.sql`m."sortEmail"`, outer: Prisma.sql`p."sortEmail"`, nullable: false, kind: "text" };

/**
 * The columns each sort orders by, the membership id last (the unique tiebreaker). Name, email and last login sort
 * on the membership's copies of them (kept by triggers, see schema.prisma), so an index of the tenant's memberships
 * hands out a page in order, in either direction (last login's descending index is built DESC NULLS LAST).
 */
export const SORT_KEYS: Record<MemberSort, SortKey[]> = {
  // The name as the list shows it (display name, else first and last name, else email), lower-cased; the email
  // itself is no tiebreaker here, as two people shown alike are told apart by the id alone.
  name: [{ field: "sortName", inner: Prisma.sql`m."sortName"`, outer: Prisma.sql`p."sortName"`, nullable: false, kind: "text" }, ID],
  email: [EMAIL, ID],
  lastLogin: [{ field: "sortLastLoginAt", inner: Prisma.sql`m."sortLastLoginAt"`, outer: Prisma.sql`p."sortLastLoginAt"`, nullable: true, kind: "time" }, ID],
  createdAt: [{ field: "createdAt", inner: Prisma.sql`m."createdAt"`, outer: Prisma.sql`p."createdAt"`, nullable: false, kind: "time" }, ID],
};

const ASC = Prisma.sql`ASC`;
const DESC = Prisma.sql`DESC`;
const NULLS_FIRST = Prisma.sql`NULLS FIRST`;
const NULLS_LAST = Prisma.sql`NULLS LAST`;
const GT = Prisma.sql`>`;
const LT = Prisma.sql`<`;

/**
 * ORDER BY for a sort (`reverse`: the exact opposite order, NULLS FIRST included, for reading a page backwards from
 * a cursor); `outer` names the columns of the page's rows instead of the tables'.
 */
export function orderBy(sort: MemberSort, desc: boolean, opts: { reverse?: boolean; outer?: boolean } = {}): Prisma.Sql {
  const d = desc !== !!opts.reverse ? DESC : ASC;
  const nulls = opts.reverse ? NULLS_FIRST : NULLS_LAST;
  return Prisma.join(SORT_KEYS[sort].map((k) => (k.nullable ? Prisma.sql`${opts.outer ? k.outer : k.inner} ${d} ${nulls}` : Prisma.sql`${opts.outer ? k.outer : k.inner} ${d}`)), ", ");
}

/** The row's sort keys as a cursor value list (times as ISO strings). */
export function keysOf(sort: MemberSort, row: Record<SortField, unknown>): KeyValue[] {
  return SORT_KEYS[sort].map((k) => {
    const v = row[k.field];
    if (v === null || v === undefined) return null;
    return k.kind === "time" ? new Date(v as string | Date).toISOString() : (v as string | number);
  });
}

export function encodeCursor(sort: MemberSort, desc: boolean, side: Side, keys: KeyValue[]): string {
  return Buffer.from(JSON.stringify({ s: sort, d: desc ? "desc" : "asc", w: side, k: keys })).toString("base64url");
}

const invalid = (why: string) =>
  new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid cursor: ${why}. Start again from the first page.`, issues: [{ path: "cursor", message: why }] });

/** The cursor of a previous page of the same sort and direction, or a 422 saying what is wrong with it. */
export function decodeCursor(text: string, sort: MemberSort, desc: boolean): Cursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw invalid("not a cursor this list gave out");
  }
  const c = raw as { s?: unknown; d?: unknown; w?: unknown; k?: unknown };
  if (!c || typeof c !== "object" || !Array.isArray(c.k) || (c.w !== "after" && c.w !== "before")) throw invalid("not a cursor this list gave out");
  if (c.s !== sort || c.d !== (desc ? "desc" : "asc")) throw invalid("it belongs to another sort order");
  const spec = SORT_KEYS[sort];
  if (c.k.length !== spec.length) throw invalid("not a cursor this list gave out");
  const keys = c.k.map((v: unknown, i: number): KeyValue => {
    const key = spec[i]!;
    if (v === null && key.nullable) return null;
    if (key.kind === "id" && Number.isSafeInteger(v) && (v as number) > 0) return v as number;
    if (key.kind === "text" && typeof v === "string" && v.length <= 1_000) return v;
    if (key.kind === "time" && typeof v === "string" && !Number.isNaN(Date.parse(v))) return v;
    throw invalid("not a cursor this list gave out");
  });
  return { side: c.w, keys };
}

const bind = (key: SortKey, v: KeyValue) => (key.kind === "time" ? Prisma.sql`${new Date(v as string)}` : Prisma.sql`${v}`);

/**
 * Rows strictly on `side` of the cursor in the order (keys, `desc`, NULLS LAST). Keys that cannot be NULL compare
 * as one row value, `(a, id) > ($1, $2)`, which PostgreSQL turns into a seek on the sort's index; a NULL-able key
 * spells out that NULLs come after every value.
 */
export function keysetCondition(sort: MemberSort, desc: boolean, cursor: Cursor): Prisma.Sql {
  const spec = SORT_KEYS[sort];
  // After, in descending order, means smaller; before means the other way.
  const greater = (cursor.side === "after") !== desc;
  const op = greater ? GT : LT;
  const from = (i: number): Prisma.Sql => {
    const rest = spec.slice(i);
    if (rest.length === 0) return Prisma.sql`FALSE`;
    if (rest.every((k) => !k.nullable)) {
      const cols = Prisma.join(rest.map((k) => k.inner), ", ");
      const vals = Prisma.join(rest.map((k, j) => bind(k, cursor.keys[i + j]!)), ", ");
      return Prisma.sql`(ROW(${cols}) ${op} ROW(${vals}))`;
    }
    const key = spec[i]!;
    const col = key.inner;
    const v = cursor.keys[i]!;
    if (v === null) {
      // The cursor row is among the NULLs, which come last: after it, only NULLs further on; before it, every value.
      return cursor.side === "after"
        ? Prisma.sql`(${col} IS NULL AND ${from(i + 1)})`
        : Prisma.sql`(${col} IS NOT NULL OR (${col} IS NULL AND ${from(i + 1)}))`;
    }
    const nulls = cursor.side === "after" ? Prisma.sql` OR ${col} IS NULL` : Prisma.empty;
    return Prisma.sql`(${col} ${op} ${bind(key, v)}${nulls} OR (${col} = ${bind(key, v)} AND ${from(i + 1)}))`;
  };
  return from(0);
}
