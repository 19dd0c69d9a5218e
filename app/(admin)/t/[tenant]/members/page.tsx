import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcCode, trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { MembersFilters } from "./members-filters.tsx";
import { MembersTable, type SortHeader } from "./members-table.tsx";

export const metadata: Metadata = { title: "Members" };

type Search = Record<string, string | string[] | undefined>;
type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Search> };

const SORTS = ["name", "email", "lastLogin", "createdAt"] as const;
type Sort = (typeof SORTS)[number];
const PAGE_SIZES = [10, 25, 50, 100];

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
const pick = <T extends string>(v: string, allowed: readonly T[]): T | undefined => (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
const posInt = (v: string) => (/^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : undefined);

/** The URL is the state: filters, sort and page live in the query string, so every view can be linked and reloaded. */
function readQuery(sp: Search) {
  const q = one(sp.q).slice(0, 200);
  const status = pick(one(sp.status), ["ACTIVE", "SUSPENDED"] as const);
  const kind = pick(one(sp.kind), ["MEMBER", "CLIENT"] as const);
  const role = /^[a-z0-9_-]{1,64}$/.test(one(sp.role)) ? one(sp.role) : undefined;
  const unitId = posInt(one(sp.unit));
  const full = pick(one(sp.full), ["yes", "no"] as const);
  const sort: Sort = pick(one(sp.sort), SORTS) ?? "name";
  const dir = pick(one(sp.dir), ["asc", "desc"] as const) ?? "asc";
  const page = posInt(one(sp.page)) ?? 1;
  const size = PAGE_SIZES.includes(posInt(one(sp.size)) ?? 0) ? posInt(one(sp.size))! : 25;
  // Previous and Next carry the list's cursor for that page, so a deep page does not skip every row before it
  // (the first page needs none).
  const at = page > 1 && /^[A-Za-z0-9_-]{1,4096}$/.test(one(sp.at)) ? one(sp.at) : undefined;
  return { q, status, kind, role, unitId, full, sort, dir, page, size, at };
}
type Query = ReturnType<typeof readQuery>;

function href(slug: string, q: Query, patch: Partial<Query>) {
  // A cursor belongs to the one page it leads to: any other link (a filter, a sort, a page size) starts afresh.
  const v = { ...q, at: undefined, ...patch };
  const p = new URLSearchParams();
  if (v.q) p.set("q", v.q);
  if (v.status) p.set("status", v.status);
  if (v.kind) p.set("kind", v.kind);
  if (v.role) p.set("role", v.role);
  if (v.unitId) p.set("unit", String(v.unitId));
  if (v.full) p.set("full", v.full);
  if (v.sort !== "name") p.set("sort", v.sort);
  if (v.dir !== "asc") p.set("dir", v.dir);
  if (v.page > 1) p.set("page", String(v.page));
  if (v.size !== 25) p.set("size", String(v.size));
  if (v.at && v.page > 1) p.set("at", v.at);
  const s = p.toString();
  return `/t/${slug}/members${s ? `?${s}` : ""}`;
}

export default async function MembersPage({ params, searchParams }: Props) {
  const { tenant: slug } = await params;
  const q = readQuery(await searchParams);
  let list, options, current;
  try {
    [list, options, current] = await Promise.all([
      api.members.list({
        tenant: slug, sort: q.sort, direction: q.dir, page: q.page, pageSize: q.size, ...(q.at ? { cursor: q.at } : {}),
        ...(q.q ? { search: q.q } : {}), ...(q.status ? { status: q.status } : {}), ...(q.kind ? { kind: q.kind } : {}),
        ...(q.role ? { role: q.role } : {}), ...(q.unitId ? { unitId: q.unitId } : {}),
        ...(q.full ? { hasFullAccess: q.full === "yes" } : {}),
      }),
      api.members.filterOptions({ tenant: slug }),
      api.tenants.current({ tenant: slug }),
    ]);
  } catch (e) {
    if (trpcCode(e) === "NOT_FOUND") notFound();
    return (
      <section>
        <PageHeader title="Members" />
        <p role="alert" data-testid="members-denied" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p>
      </section>
    );
  }

  const headers: SortHeader[] = (
    [["name", "Name"], ["email", "Email"], ["roles", "Roles"], ["status", "Status"], ["lastLogin", "Last login"], ["createdAt", "Joined"]] as const
  ).map(([key, label]) => {
    const sortable = pick(key, SORTS);
    const active = sortable && q.sort === sortable ? (q.dir === "asc" ? "ascending" : "descending") : null;
    return {
      key, label, active,
      href: sortable ? href(slug, q, { sort: sortable, dir: active === "ascending" ? "desc" : "asc", page: 1 }) : "",
    };
  });
  const first = list.total === 0 ? 0 : (list.page - 1) * list.pageSize + 1;
  const last = Math.min(list.total, list.page * list.pageSize);
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const canBulk = current.me.permissions.includes("members.remove");

  return (
    <section>
      <PageHeader title="Members" description="Everyone in this tenant, their roles, units and permission values." />
      <MembersFilters slug={slug} roles={options.roles} units={options.units} pageSizes={PAGE_SIZES} sort={q.sort} dir={q.dir}
        values={{
          q: q.q, status: q.status ?? "", kind: q.kind ?? "", role: q.role ?? "", unit: q.unitId ? String(q.unitId) : "",
          full: q.full ?? "", size: String(q.size),
        }} />

      <MembersTable slug={slug} tenantName={current.name} rows={list.items} headers={headers} canBulk={canBulk} roles={options.roles} />

      <nav aria-label="Pagination" className="mt-4 flex flex-col gap-2 text-sm sm:flex-row sm:items-center sm:justify-between">
        <p data-testid="members-total" className="text-slate-600">
          {list.total === 0 ? "No members" : `Showing ${first}–${last} of ${list.totalIsEstimate ? "about " : ""}${list.total.toLocaleString("en")}`}
        </p>
        <div className="flex items-center gap-2">
          {list.page > 1 ? (
            <Link href={href(slug, q, { page: list.page - 1, ...(list.prevCursor ? { at: list.prevCursor } : {}) })} rel="prev" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">Previous</Link>
          ) : <span aria-disabled className="rounded-md border border-slate-200 px-3 py-1.5 text-slate-400">Previous</span>}
          <span className="text-slate-600">Page {list.page} of {pages}</span>
          {list.nextCursor ? (
            <Link href={href(slug, q, { page: list.page + 1, at: list.nextCursor })} rel="next" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">Next</Link>
          ) : <span aria-disabled className="rounded-md border border-slate-200 px-3 py-1.5 text-slate-400">Next</span>}
        </div>
      </nav>
    </section>
  );
}
