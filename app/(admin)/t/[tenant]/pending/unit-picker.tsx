"use client";
import { useId, useState } from "react";

type Unit = { id: number; name: string; kind: string };

/**
 * Choosing units from a list that may be long: a search box narrows a list of checkboxes, and the count of chosen
 * units stays in view (and is announced) because a chosen unit may be filtered out of sight. Every kind of unit is
 * offered, labelled with its kind: acceptJoinRequest grants access at locations, subsidiaries and projects alike.
 */
export function UnitPicker({ units, chosen, onChange, label }: { units: Unit[]; chosen: number[]; onChange: (ids: number[]) => void; label: string }) {
  const id = useId();
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const shown = q ? units.filter((u) => u.name.toLowerCase().includes(q) || u.kind.toLowerCase().includes(q)) : units;
  const toggle = (unitId: number) => onChange(chosen.includes(unitId) ? chosen.filter((x) => x !== unitId) : [...chosen, unitId]);
  return (
    <fieldset className="min-w-0 rounded-md border border-slate-200 p-3" data-testid="accept-units">
      <legend className="px-1 text-sm font-medium">{label}</legend>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${id}-q`} className="sr-only">Find a unit</label>
        <input
          id={`${id}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Find a unit" aria-controls={`${id}-list`}
          autoComplete="off" data-testid="accept-units-search" className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
        />
        <p aria-live="polite" className="text-sm text-slate-600" data-testid="accept-units-count">{chosen.length} chosen</p>
        {chosen.length > 0 && <button type="button" onClick={() => onChange([])} className="text-sm text-brand underline">Clear</button>}
      </div>
      <ul id={`${id}-list`} className="mt-2 max-h-40 space-y-1 overflow-y-auto text-sm">
        {shown.map((u) => (
          <li key={u.id}>
            <label className="flex items-center gap-2 py-0.5">
              <input type="checkbox" checked={chosen.includes(u.id)} onChange={() => toggle(u.id)} />
              <span>{u.name} <span className="text-slate-600">({u.kind.toLowerCase()})</span></span>
            </label>
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="mt-2 text-sm text-slate-600">{units.length === 0 ? "This tenant has no units yet." : `No unit matches “${query.trim()}”.`}</p>}
    </fieldset>
  );
}
