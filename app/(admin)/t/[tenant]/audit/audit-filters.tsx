"use client";
/**
 * The audit log's filters: actor (name or email, with suggestions of the tenant's members), action prefix and an
 * inclusive date range. Applying them navigates to the same page with the filters in the query string, so a filtered
 * view can be bookmarked and shared; the page validates the URL with the same schema.
 */
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { trpc } from "@/app/_trpc/react.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";
import type { ZAuditSearchForm, TAuditSearchForm } from "@/server/services/audit/audit.schema.ts";

type Values = { action: string; actor: string; from: string; to: string };

const SUGGEST_DELAY_MS = 200;

export function AuditFilters({ tenant, values, errors, keep }: {
  tenant: string;
  values: Values;
  /** Field errors the page found in the URL (e.g. a range that ends before it starts). */
  errors: Partial<Record<keyof Values, string>>;
  /** Other query parameters to carry over (a target the table linked to). */
  keep: Record<string, string>;
}) {
  const router = useRouter();
  const form = useZodForm(() => import("@/server/services/audit/audit.schema.ts").then((m) => m.ZAuditSearchForm), values);
  useEffect(() => {
    for (const [name, message] of Object.entries(errors)) form.setError(name as keyof Values, { type: "server", message });
  }, [errors, form]);

  const typed = form.watch("actor") ?? "";
  const [query, setQuery] = useState(typed);
  useEffect(() => {
    const id = setTimeout(() => setQuery(typed.trim()), SUGGEST_DELAY_MS);
    return () => clearTimeout(id);
  }, [typed]);
  const suggestions = trpc.audit.actors.useQuery({ tenant, query }, { staleTime: 30_000 });

  function apply(v: TAuditSearchForm) {
    const params = new URLSearchParams(keep);
    for (const key of ["actor", "action", "from", "to"] as const) if (v[key]) params.set(key, v[key]!);
    const qs = params.toString();
    router.push(`/t/${tenant}/audit${qs ? `?${qs}` : ""}`);
  }

  // defaultValue too, so the server-rendered HTML already shows the filters (react-hook-form fills inputs on mount).
  return (
    <Form form={form} onSubmit={apply} className="rounded-xl border border-slate-200 bg-white p-4" aria-label="Filter the audit log">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <FormTextField form={form} name="actor" defaultValue={values.actor} label="Actor" type="search" list="audit-actor-suggestions" autoComplete="off"
          placeholder="Name or email" hint="Pick a suggestion or type part of a name." />
        <datalist id="audit-actor-suggestions" data-testid="audit-actor-suggestions">
          {(suggestions.data ?? []).map((s) => <option key={s.userId} value={s.email} label={s.name ?? s.email} />)}
        </datalist>
        <FormTextField form={form} name="action" defaultValue={values.action} label="Action starts with" placeholder="member." />
        <FormTextField form={form} name="from" defaultValue={values.from} label="From (UTC)" type="date" />
        <FormTextField form={form} name="to" defaultValue={values.to} label="To (UTC, inclusive)" type="date" />
      </div>
      <div className="mt-3 flex gap-2">
        <Button type="submit" variant="primary">Apply filters</Button>
        <a href={`/t/${tenant}/audit`} className="rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand">Clear</a>
      </div>
    </Form>
  );
}
