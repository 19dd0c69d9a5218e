"use client";
/** The audit table: the server renders the first page, "Load more" fetches the next by id cursor. */
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";
import { fmtDateTime } from "../members/format.ts";
import { describeEvent } from "./describe-event.ts";

export type AuditFilters = { action?: string; actor?: string; actorUserId?: number; targetType?: string; targetId?: string; from?: Date; to?: Date };
type Person = { name: string | null; email: string | null };
type Event = {
  id: string; action: string; targetType: string; targetId: string | null; before: unknown; after: unknown;
  ip: string | null; userAgent: string | null; createdAt: Date;
  actor: { type: "USER" | "TOKEN" | "SYSTEM"; userId: number | null; tokenId: number | null; label: string; tokenName: string | null } & Person;
  target: { label: string } & Person;
};
type Page = { items: Event[]; nextCursor: string | null };

const show = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v, null, 2));

export function AuditLog({ tenant, filters, pageSize, first }: { tenant: string; filters: AuditFilters; pageSize: number; first: Page }) {
  const utils = trpc.useUtils();
  const [items, setItems] = useState(first.items);
  const [cursor, setCursor] = useState(first.nextCursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const page = await utils.audit.list.fetch({ tenant, ...filters, limit: pageSize, cursor });
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not load more events.");
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full min-w-[20rem] text-left text-sm" data-testid="audit-table">
          <caption className="sr-only">Audit events, newest first</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Time</th>
              <th scope="col" className="px-3 py-2 font-medium">Event</th>
              <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">Actor</th>
              <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">IP</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.length === 0 && <tr><td colSpan={4} className="px-3 py-4 text-slate-600">No events match.</td></tr>}
            {items.map((e) => <Row key={e.id} tenant={tenant} e={e} />)}
          </tbody>
        </table>
      </div>
      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p>}
      <p className="text-sm text-slate-600" aria-live="polite">{items.length} event{items.length === 1 ? "" : "s"} shown{cursor ? "" : " (all)"}.</p>
      {cursor && (
        <button type="button" onClick={() => void loadMore()} disabled={loading} data-testid="audit-load-more"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand disabled:opacity-50">
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}

/** A person as "Name (email)", or the email alone when they gave no name. */
const nameAndEmail = (p: Person, fallback: string) => (p.name && p.email ? `${p.name} (${p.email})` : p.name ?? p.email ?? fallback);

function Row({ tenant, e }: { tenant: string; e: Event }) {
  const before = show(e.before);
  const after = show(e.after);
  const actor = e.actor.userId !== null && e.actor.email ? (
    <a className="text-brand underline-offset-2 hover:underline" href={`/t/${tenant}/audit?actor=${encodeURIComponent(e.actor.email)}`} title="Show this person's events">
      {nameAndEmail(e.actor, e.actor.label)}
    </a>
  ) : <span>{e.actor.type === "SYSTEM" ? "System" : e.actor.label}</span>;
  const via = e.actor.tokenName && e.actor.userId !== null ? <span className="text-slate-600"> via {e.actor.tokenName}</span> : null;
  const target = nameAndEmail(e.target, e.target.label);
  return (
    <tr data-testid="audit-row" className="align-top">
      <td className="whitespace-nowrap px-3 py-2 text-slate-600"><time dateTime={e.createdAt.toISOString()}>{fmtDateTime(e.createdAt)}</time></td>
      <td className="px-3 py-2">
        <div className="font-medium text-slate-900" data-testid="audit-sentence">{describeEvent(e)}</div>
        <div className="text-xs text-slate-600"><code>{e.action}</code> · {target}</div>
        <div className="text-xs md:hidden">{actor}{via}</div>
        {/* The IP column needs a wide screen; narrower ones show it here, so no column's information is lost. */}
        {e.ip && <div className="text-xs text-slate-600 lg:hidden" data-testid="audit-ip-inline">from {e.ip}</div>}
        {(before || after) && (
          <details className="mt-1 text-xs">
            <summary className="cursor-pointer text-slate-600 focus-visible:outline-2 focus-visible:outline-brand">Changes</summary>
            <div className="mt-1 grid gap-2 sm:grid-cols-2">
              {before && <div><div className="font-medium text-slate-600">Before</div><pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">{before}</pre></div>}
              {after && <div><div className="font-medium text-slate-600">After</div><pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">{after}</pre></div>}
            </div>
          </details>
        )}
      </td>
      <td className="hidden px-3 py-2 md:table-cell" data-testid="audit-actor">{actor}{via}</td>
      <td className="hidden px-3 py-2 text-slate-600 lg:table-cell" title={e.userAgent ?? undefined}>{e.ip ?? "—"}</td>
    </tr>
  );
}
