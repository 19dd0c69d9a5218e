"use client";
/**
 * Search and filters of the members list. The URL stays the state (the page renders from it): with JavaScript, a
 * search is sent 250 ms after the last keystroke and a filter as soon as it changes, each with router.replace (the
 * list narrows without a history entry per keystroke, and reload or back/forward keep the view); without it, the
 * form still submits as a plain GET.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type ChangeEvent } from "react";

export type FilterValues = { q: string; status: string; kind: string; role: string; unit: string; full: string; size: string };
type Selects = Omit<FilterValues, "q">;

const SEARCH_DELAY_MS = 250;
const select = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "text-sm font-medium text-slate-700";

const selectsOf = ({ q: _q, ...rest }: FilterValues): Selects => rest;

export function MembersFilters({ slug, values, roles, units, pageSizes, sort, dir }: {
  slug: string;
  values: FilterValues;
  roles: { slug: string; title: string }[];
  units: { id: number; name: string; kind: string }[];
  pageSizes: number[];
  sort: string;
  dir: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [text, setText] = useState(values.q);
  const [selects, setSelects] = useState<Selects>(() => selectsOf(values));
  const [open, setOpen] = useState(() => [values.status, values.kind, values.role, values.unit, values.full].some(Boolean));
  // The search last sent, and the keystrokes not sent yet: the page's answer to an older search must never
  // overwrite what the person has typed since.
  const sent = useRef(values.q);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // The query string last asked for, until the page has caught up with it: the address bar changes only once a
  // navigation lands, so a second change made before that must build on the first, not on the old address.
  const asked = useRef<string | null>(null);

  // The URL changed from elsewhere (back/forward, Reset, a link): show what it says. While our own navigations are
  // in flight the page may answer an earlier one, so only a settled page is taken as the truth.
  const key = JSON.stringify(values);
  useEffect(() => {
    if (pending) return;
    asked.current = null;
    setSelects(selectsOf(values));
    if (!timer.current && values.q !== sent.current) {
      sent.current = values.q;
      setText(values.q);
    }
    // `key` stands for `values`, a new object on every render of the page.
  }, [key, pending]);
  // Typed into the server's HTML before hydration: keep it and search for it, as if typed now.
  useEffect(() => {
    const typed = input.current?.value ?? "";
    if (typed !== values.q) search(typed);
    return () => { if (timer.current) clearTimeout(timer.current); };
    // Once, on hydration.
  }, []);

  function go(patch: Partial<FilterValues>) {
    const p = new URLSearchParams(asked.current ?? window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    // Another filter is another list: start it from its first page (a cursor belongs to the list it came from).
    p.delete("page");
    p.delete("at");
    if (p.get("size") === "25") p.delete("size");
    const s = p.toString();
    asked.current = s;
    if ("q" in patch) sent.current = patch.q ?? "";
    startTransition(() => router.replace(`/t/${slug}/members${s ? `?${s}` : ""}`, { scroll: false }));
  }

  function search(q: string) {
    setText(q);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      if (q !== sent.current) go({ q });
    }, SEARCH_DELAY_MS);
  }

  const onSelect = (name: keyof Selects) => (e: ChangeEvent<HTMLSelectElement>) => {
    const v = e.target.value;
    setSelects((s) => ({ ...s, [name]: v }));
    go({ [name]: v });
  };

  const active = [selects.status, selects.kind, selects.role, selects.unit, selects.full].filter(Boolean).length;

  return (
    <form method="get" action={`/t/${slug}/members`} role="search" aria-label="Search and filter members"
      className="mb-4 space-y-3 rounded-xl border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (timer.current) clearTimeout(timer.current);
        timer.current = null;
        // The form's own values: what is on screen, even if typed before hydration.
        const data = new FormData(e.currentTarget);
        const read = (k: keyof FilterValues) => String(data.get(k) ?? "");
        const now: FilterValues = { q: read("q"), status: read("status"), kind: read("kind"), role: read("role"), unit: read("unit"), full: read("full"), size: read("size") };
        setText(now.q);
        setSelects(selectsOf(now));
        go(now);
      }}>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <label className="flex-1 text-sm font-medium text-slate-700">
          Search
          <input ref={input} type="search" name="q" value={text} onChange={(e) => search(e.target.value)} maxLength={200} placeholder="Name, email or phone"
            data-testid="members-search" autoComplete="off"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </label>
        <div className="flex items-center gap-2">
          <button type="submit" className="rounded-md bg-brand px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-dark">Apply</button>
          <Link href={`/t/${slug}/members`} className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">Reset</Link>
        </div>
      </div>
      <p aria-live="polite" className="sr-only">{pending ? "Updating the list…" : ""}</p>
      {/* Collapsed unless a filter is in use, so the list stays within reach on a phone. */}
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="group">
        <summary className="cursor-pointer text-sm font-medium text-slate-700">
          Filters{active > 0 ? ` (${active} active)` : ""}
        </summary>
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <label className={label}>
            Status
            <select name="status" value={selects.status} onChange={onSelect("status")} className={select}>
              <option value="">Any</option><option value="ACTIVE">Active</option><option value="SUSPENDED">Suspended</option>
            </select>
          </label>
          <label className={label}>
            Kind
            <select name="kind" value={selects.kind} onChange={onSelect("kind")} className={select}>
              <option value="">Any</option><option value="MEMBER">Members</option><option value="CLIENT">Client users</option>
            </select>
          </label>
          <label className={label}>
            Role
            <select name="role" value={selects.role} onChange={onSelect("role")} className={select}>
              <option value="">Any</option>
              {roles.map((r) => <option key={r.slug} value={r.slug}>{r.title}</option>)}
            </select>
          </label>
          <label className={label}>
            Full access
            <select name="full" value={selects.full} onChange={onSelect("full")} className={select}>
              <option value="">Any</option><option value="yes">Yes</option><option value="no">No</option>
            </select>
          </label>
          {units.length > 0 && (
            <label className={label}>
              Unit
              <select name="unit" value={selects.unit} onChange={onSelect("unit")} className={select}>
                <option value="">Any</option>
                {units.map((u) => <option key={u.id} value={String(u.id)}>{u.name} ({u.kind.toLowerCase()})</option>)}
              </select>
            </label>
          )}
          <label className={label}>
            Per page
            <select name="size" value={selects.size} onChange={onSelect("size")} className={select}>
              {pageSizes.map((n) => <option key={n} value={String(n)}>{n}</option>)}
            </select>
          </label>
        </div>
      </details>
      <input type="hidden" name="sort" value={sort} />
      <input type="hidden" name="dir" value={dir} />
    </form>
  );
}
