import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { ZAuditSearchForm } from "@/server/services/audit/audit.schema.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { AuditLog, type AuditFilters } from "./audit-log.tsx";
import { AuditFilters as FilterForm } from "./audit-filters.tsx";

export const metadata: Metadata = { title: "Audit log" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.trim() : "");
const midnight = (day: string) => new Date(`${day}T00:00:00Z`);

/**
 * Filters come from the query string (a filtered view can be bookmarked) and are checked with the filter form's own
 * schema: a bad date or a range that ends before it starts is shown under its field instead of being ignored.
 */
function filtersFrom(sp: Record<string, string | string[] | undefined>) {
  const values = { actor: one(sp.actor), action: one(sp.action), from: one(sp.from), to: one(sp.to) };
  // Links from a row of the table narrow to a target; they are not form fields, so they ride along as they are.
  const keep = Object.fromEntries((["targetType", "targetId", "actorUserId"] as const).map((k) => [k, one(sp[k])]).filter(([, v]) => v));
  const parsed = ZAuditSearchForm.safeParse(values);
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return { values, keep, errors, filters: null };
  }
  const v = parsed.data;
  const actorUserId = /^\d{1,9}$/.test(keep.actorUserId ?? "") ? Number(keep.actorUserId) : undefined;
  const filters: AuditFilters = {
    ...(v.actor ? { actor: v.actor } : {}),
    ...(v.action ? { action: v.action } : {}),
    ...(actorUserId ? { actorUserId } : {}),
    ...(keep.targetType ? { targetType: keep.targetType } : {}),
    ...(keep.targetId ? { targetId: keep.targetId } : {}),
    ...(v.from ? { from: midnight(v.from) } : {}),
    // "To" is the last day included: the list's bound is the midnight after it.
    ...(v.to ? { to: new Date(midnight(v.to).getTime() + DAY_MS) } : {}),
  };
  return { values, keep, errors: {}, filters };
}

/** The tenant's audit log: newest first, filterable, paged with "Load more". */
export default async function AuditPage({ params, searchParams }: Props) {
  const { tenant } = await params;
  const { values, keep, errors, filters } = filtersFrom(await searchParams);
  const header = <PageHeader title="Audit log" description="Every change, who made it and when. Times are UTC." />;
  const form = <FilterForm tenant={tenant} values={values} errors={errors} keep={keep} />;
  if (!filters) return <section className="space-y-4">{header}{form}</section>;
  let first;
  try {
    first = await api.audit.list({ tenant, ...filters, limit: PAGE_SIZE });
  } catch (e) {
    return (
      <section className="space-y-4">
        {header}
        {form}
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p>
      </section>
    );
  }
  return (
    <section className="space-y-4">
      {header}
      {form}
      <AuditLog key={JSON.stringify([values, keep])} tenant={tenant} filters={filters} pageSize={PAGE_SIZE} first={first} />
    </section>
  );
}
