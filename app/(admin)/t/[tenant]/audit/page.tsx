import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { AuditLog, type AuditFilters } from "./audit-log.tsx";

export const metadata: Metadata = { title: "Audit log" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.trim() : "");
/** A yyyy-mm-dd from a date input as midnight UTC; anything else is ignored (the form only produces this shape). */
const day = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? new Date(`${v}T00:00:00Z`) : undefined);

/** Filters come from the query string so a filtered view can be bookmarked and works without JavaScript. */
function filtersFrom(sp: Record<string, string | string[] | undefined>): { filters: AuditFilters; form: Record<string, string> } {
  const form = { action: one(sp.action), actorUserId: one(sp.actorUserId), targetType: one(sp.targetType), targetId: one(sp.targetId), from: one(sp.from), to: one(sp.to) };
  const actorUserId = /^\d{1,9}$/.test(form.actorUserId) ? Number(form.actorUserId) : undefined;
  const from = day(form.from);
  const toDay = day(form.to);
  const filters: AuditFilters = {
    ...(form.action ? { action: form.action } : {}),
    ...(actorUserId ? { actorUserId } : {}),
    ...(form.targetType ? { targetType: form.targetType } : {}),
    ...(form.targetId ? { targetId: form.targetId } : {}),
    ...(from ? { from } : {}),
    // "To" is the last day included.
    ...(toDay ? { to: new Date(toDay.getTime() + DAY_MS) } : {}),
  };
  return { filters, form };
}

/** The tenant's audit log: newest first, filterable, paged with "Load more". */
export default async function AuditPage({ params, searchParams }: Props) {
  const { tenant } = await params;
  const { filters, form } = filtersFrom(await searchParams);
  const header = <PageHeader title="Audit log" description="Every change, who made it and when. Times are UTC." />;
  let first;
  try {
    first = await api.audit.list({ tenant, ...filters, limit: PAGE_SIZE });
  } catch (e) {
    return (
      <section>
        {header}
        <FilterForm tenant={tenant} form={form} />
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p>
      </section>
    );
  }
  return (
    <section className="space-y-4">
      {header}
      <FilterForm tenant={tenant} form={form} />
      <AuditLog key={JSON.stringify(form)} tenant={tenant} filters={filters} pageSize={PAGE_SIZE} first={first} />
    </section>
  );
}

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm font-normal focus:outline-2 focus:outline-brand";

function FilterForm({ tenant, form }: { tenant: string; form: Record<string, string> }) {
  const fields: { name: string; label: string; type?: string; placeholder?: string }[] = [
    { name: "action", label: "Action starts with", placeholder: "member." },
    { name: "actorUserId", label: "Actor user id", type: "number" },
    { name: "targetType", label: "Target type", placeholder: "api_token" },
    { name: "targetId", label: "Target id" },
    { name: "from", label: "From (UTC)", type: "date" },
    { name: "to", label: "To (UTC, inclusive)", type: "date" },
  ];
  return (
    <form method="get" action={`/t/${tenant}/audit`} className="rounded-xl border border-slate-200 bg-white p-4" aria-label="Filter the audit log">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6">
        {fields.map((f) => (
          <label key={f.name} className="text-sm font-medium text-slate-700">{f.label}
            <input name={f.name} type={f.type ?? "text"} defaultValue={form[f.name] ?? ""} placeholder={f.placeholder}
              {...(f.type === "number" ? { min: 1, inputMode: "numeric" as const } : {})} className={input} />
          </label>
        ))}
      </div>
      <div className="mt-3 flex gap-2">
        <button type="submit" className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand">Apply filters</button>
        <a href={`/t/${tenant}/audit`} className="rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand">Clear</a>
      </div>
    </form>
  );
}
