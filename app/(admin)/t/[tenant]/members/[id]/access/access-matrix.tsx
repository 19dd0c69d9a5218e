"use client";
/**
 * The unit × permission matrix (client island): a cell is editable only where the server said `isEditable`. Edits
 * are collected, marked, and saved together with "Save changes", which shows the diff first, or undone; a click is
 * never saved on its own. Copy/remove dialogs run a dry run first and show it as the same kind of diff.
 * They offer LOCATION units only: copy/remove is seed 000's "copy to companies" (locations), and its REST door
 * refuses other kinds; the console offers the same choice rather than a wider one.
 */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatRightValue } from "@/app/_components/right-value.ts";
import { Button } from "@/app/_components/ui/button.tsx";
import { Dialog, DialogClose } from "@/app/_components/ui/dialog.tsx";
import { trpc } from "@/app/_trpc/react.tsx";

type Value = boolean | number | number[] | null;
type Perm = { slug: string; category: string; title: string; type: "BOOLEAN" | "INTEGER" | "ENTITY_ID" | "ID_LIST"; value: Value; source: string; isEditable: boolean };
type Grant = { unitId: number; status: "ACTIVE" | "INVITED" | null; role: string | null; hasFullAccess: boolean; isEditable: boolean; permissions: Perm[] };
type Unit = { id: number; name: string; kind: string };
type Result = { unitId: number; result: string };



function parse(type: Perm["type"], raw: string): Value {
  if (type === "BOOLEAN") return raw === "true";
  if (type === "ID_LIST") return raw.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (type === "ENTITY_ID" && raw.trim() === "") return null;
  return Number(raw);
}

const asText = (v: Value) => (Array.isArray(v) ? v.join(",") : v === null ? "" : String(v));

/** A change waiting to be saved: the value as typed (text fields) or ticked (checkboxes). */
type Draft = { unitId: number; slug: string; raw: boolean | string };
const draftKey = (unitId: number, slug: string) => `${unitId}|${slug}`;
const draftValue = (cell: Perm, raw: boolean | string): Value => (typeof raw === "boolean" ? raw : parse(cell.type, raw));
const sameAsServer = (cell: Perm, raw: boolean | string) => (typeof raw === "boolean" ? raw === (cell.value === true) : raw.trim() === asText(cell.value));

/** One line of a diff: where, what, before → after. The save dialog and the copy/remove preview both read this way. */
export type DiffRow = { key: string; where: string; what: string; before: string; after: string; note?: string };

function DiffList({ rows, testId }: { rows: DiffRow[]; testId: string }) {
  return (
    <ul data-testid={testId} className="mt-2 divide-y divide-slate-100 rounded-md bg-slate-50 p-2 text-sm">
      {rows.map((r) => (
        <li key={r.key} className="py-1">
          <span className="font-medium">{r.where}</span>: {r.what ? `${r.what} ` : ""}
          <span className="text-slate-700">{r.before}</span> → <span className="font-medium">{r.after}</span>{r.note ? <span className="text-slate-600"> ({r.note})</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** One editable value: shows the draft when there is one, and says so (colour and text) so changes stand out. */
function EditableCell({ cell, label, draft, setDraft }: { cell: Perm; label: string; draft: boolean | string | undefined; setDraft: (raw: boolean | string) => void }) {
  if (cell.type === "BOOLEAN") {
    return <input type="checkbox" aria-label={label} checked={typeof draft === "boolean" ? draft : cell.value === true} onChange={(e) => setDraft(e.target.checked)} />;
  }
  return (
    <input value={typeof draft === "string" ? draft : asText(cell.value)} aria-label={label} className="w-20 rounded border border-slate-300 px-1"
      onChange={(e) => setDraft(e.target.value)} />
  );
}

export function AccessMatrix({ tenant, userId, memberName, units, grants }: { tenant: string; userId: number; memberName: string; units: Unit[]; grants: Grant[] }) {
  const router = useRouter();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [dialog, setDialog] = useState<"copy" | "remove" | "save" | null>(null);
  const [drafts, setDrafts] = useState<Map<string, Draft>>(new Map());
  const [saving, setSaving] = useState(false);
  const update = trpc.access.update.useMutation();
  const byUnit = new Map(grants.map((g) => [g.unitId, g]));
  const columns = units.filter((u) => { const g = byUnit.get(u.id); return g && (g.status !== null || g.hasFullAccess); });
  const rows = grants[0]?.permissions ?? [];
  const locations = units.filter((u) => u.kind === "LOCATION");
  const isLocation = (unitId: number) => locations.some((u) => u.id === unitId);
  const sources = grants.filter((g) => g.status === "ACTIVE" && isLocation(g.unitId));
  const removable = columns.filter((u) => isLocation(u.id));
  const openDialog = (kind: "copy" | "remove" | "save") => (open: boolean) => setDialog(open ? kind : null);
  const done = (text: string) => { setDialog(null); setNotice({ ok: true, text }); router.refresh(); };
  const cellOf = (unitId: number, slug: string) => byUnit.get(unitId)!.permissions.find((x) => x.slug === slug)!;
  const unitName = (unitId: number) => units.find((u) => u.id === unitId)?.name ?? `#${unitId}`;

  // A change typed back to the server's value is no change; leaving the page with changes asks first.
  const setDraft = (unitId: number, slug: string) => (raw: boolean | string) => {
    setNotice(null);
    setDrafts((prev) => {
      const next = new Map(prev);
      if (sameAsServer(cellOf(unitId, slug), raw)) next.delete(draftKey(unitId, slug));
      else next.set(draftKey(unitId, slug), { unitId, slug, raw });
      return next;
    });
  };
  useEffect(() => {
    if (drafts.size === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [drafts.size]);

  const diff: DiffRow[] = [...drafts.values()].map((d) => {
    const cell = cellOf(d.unitId, d.slug);
    const value = draftValue(cell, d.raw);
    // Typed text that is not a number is shown as typed; the server names what is wrong with it on save.
    const unreadable = (typeof value === "number" && Number.isNaN(value)) || (Array.isArray(value) && value.some((x) => Number.isNaN(x)));
    const after = unreadable ? `"${String(d.raw)}"` : formatRightValue(cell.type, value);
    return { key: draftKey(d.unitId, d.slug), where: unitName(d.unitId), what: `${cell.title}:`, before: formatRightValue(cell.type, cell.value), after };
  });

  // One access.update per unit (each atomic and audited on its own); a unit that is refused keeps its changes on
  // screen with the reason, the others are saved.
  const save = async () => {
    setSaving(true);
    const byUnitDrafts = new Map<number, Draft[]>();
    for (const d of drafts.values()) byUnitDrafts.set(d.unitId, [...(byUnitDrafts.get(d.unitId) ?? []), d]);
    const failed = new Map<string, Draft>();
    let saved = 0;
    let firstError: string | null = null;
    for (const [unitId, list] of byUnitDrafts) {
      try {
        await update.mutateAsync({ tenant, unitId, userId, permissions: list.map((d) => ({ slug: d.slug, value: draftValue(cellOf(unitId, d.slug), d.raw) })) });
        saved += list.length;
      } catch (e) {
        for (const d of list) failed.set(draftKey(d.unitId, d.slug), d);
        firstError ??= `${unitName(unitId)}: ${e instanceof Error ? e.message : "the change was refused"}`;
      }
    }
    setSaving(false);
    setDialog(null);
    setDrafts(failed);
    setNotice(firstError ? { ok: false, text: `${saved ? `Saved ${saved} change(s); ` : ""}not saved: ${firstError}` } : { ok: true, text: `Saved ${saved} change(s).` });
    router.refresh();
  };

  return (
    <div className="space-y-4">
      {notice && <p role={notice.ok ? "status" : "alert"} data-testid="access-notice" className={`rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>}
      <div className="flex flex-wrap gap-2">
        <BatchDialog kind="copy" open={dialog === "copy"} onOpenChange={openDialog("copy")} tenant={tenant} userId={userId} units={locations} grants={byUnit}
          sources={sources.map((g) => g.unitId)} onDone={done}
          trigger={<Button variant="secondary" size="sm" disabled={sources.length === 0 || drafts.size > 0} data-testid="open-copy">Copy to units…</Button>} />
        <BatchDialog kind="remove" open={dialog === "remove"} onOpenChange={openDialog("remove")} tenant={tenant} userId={userId} units={locations} grants={byUnit}
          sources={removable.map((u) => u.id)} onDone={done}
          trigger={<Button variant="danger-outline" size="sm" disabled={removable.length === 0 || drafts.size > 0} data-testid="open-remove">Remove from units…</Button>} />
      </div>
      {drafts.size > 0 && (
        <div data-testid="unsaved-bar" className="sticky top-14 z-[5] flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span role="status">{drafts.size} unsaved change{drafts.size === 1 ? "" : "s"}</span>
          <span className="ml-auto flex gap-2">
            <Button variant="ghost" size="sm" onClick={() => { setDrafts(new Map()); setNotice({ ok: true, text: "Changes undone." }); }} data-testid="undo-changes">Undo changes</Button>
            <Dialog open={dialog === "save"} onOpenChange={openDialog("save")} size="lg" data-testid="save-dialog"
              title={`Save changes to ${memberName}'s access`} description="These values change when you save:"
              trigger={<Button size="sm" data-testid="save-changes">Save changes…</Button>}>
              <DiffList rows={diff} testId="save-diff" />
              <div className="mt-4 flex flex-wrap justify-end gap-2">
                <DialogClose><Button variant="ghost" size="sm">Keep editing</Button></DialogClose>
                <Button size="sm" pending={saving} onClick={() => void save()} data-testid="confirm-save">Save {drafts.size} change{drafts.size === 1 ? "" : "s"}</Button>
              </div>
            </Dialog>
          </span>
        </div>
      )}
      {columns.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">This member has no access at any unit yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm" data-testid="access-matrix">
            <thead className="bg-slate-50">
              <tr>
                <th className="px-3 py-2">Permission</th>
                {columns.map((u) => {
                  const g = byUnit.get(u.id)!;
                  return <th key={u.id} className="px-3 py-2">{u.name}<div className="text-xs font-normal text-slate-600">{g.hasFullAccess ? "full access" : `${g.role}${g.status === "INVITED" ? " · invited" : ""}`}</div></th>;
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.slug} className="border-t border-slate-100">
                  <td className="px-3 py-1">{p.title}<span className="ml-1 text-xs text-slate-600">{p.category}</span></td>
                  {columns.map((u) => {
                    const cell = cellOf(u.id, p.slug);
                    const draft = drafts.get(draftKey(u.id, p.slug));
                    return (
                      <td key={u.id} className={`px-3 py-1 ${draft ? "bg-amber-50" : ""}`} data-testid={`cell-${u.id}-${p.slug}`} data-changed={draft ? "true" : undefined} title={`source: ${cell.source}`}>
                        {cell.isEditable ? (
                          <EditableCell cell={cell} label={`${p.title} at ${u.name}`} draft={draft?.raw} setDraft={setDraft(u.id, p.slug)} />
                        ) : (
                          <span>{formatRightValue(cell.type, cell.value)}</span>
                        )}
                        <span className="ml-1 text-xs text-slate-600">{draft ? "changed" : cell.source.replace("_", " ")}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** A dry run's line: what the member has at the unit now and after confirming. */
function previewRow(r: Result, where: string, before: string, copied: string): DiffRow {
  const after = r.result === "removed" ? "no access" : r.result === "not_a_member" ? before : r.result === "permissions_updated" ? `${copied} values` : copied;
  return { key: String(r.unitId), where, what: "", before, after, note: r.result.replace(/_/g, " ") };
}

type BatchProps = {
  kind: "copy" | "remove"; tenant: string; userId: number; units: Unit[]; grants: Map<number, Grant>; sources: number[]; onDone: (text: string) => void;
};

/**
 * The copy/remove dialog. Its body is a child of the Radix content, which unmounts on close, so every opening starts
 * from a clean choice and no stale dry run can be confirmed.
 */
function BatchDialog({ open, onOpenChange, trigger, ...props }: BatchProps & { open: boolean; onOpenChange: (open: boolean) => void; trigger: React.ReactNode }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} trigger={trigger} size="lg" data-testid={props.kind === "copy" ? "copy-dialog" : "remove-dialog"}
      title={props.kind === "copy" ? "Copy role and permissions to units" : "Remove from units"}
      description={props.kind === "copy"
        ? "Gives the member the source unit's role and permission values at each chosen location. Preview the changes, then confirm."
        : "Takes the member's access away at each chosen location. Preview the changes, then confirm."}>
      <BatchBody {...props} />
    </Dialog>
  );
}

function BatchBody(props: BatchProps) {
  const { kind, tenant, userId, units, grants, sources } = props;
  const [from, setFrom] = useState(sources[0] ?? units[0]?.id ?? 0);
  const [picked, setPicked] = useState<number[]>([]);
  const [preview, setPreview] = useState<Result[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const copy = trpc.access.copyToUnits.useMutation();
  const remove = trpc.access.removeFromUnits.useMutation();
  const run = async (dryRun: boolean) => {
    setError(null);
    try {
      const input = { tenant, unitId: from, userId, dryRun, links: picked.map((unitId) => ({ unitId })) };
      const out = kind === "copy" ? await copy.mutateAsync(input) : await remove.mutateAsync(input);
      if (dryRun) setPreview(out.results);
      else props.onDone(`${kind === "copy" ? "Copied to" : "Removed from"} ${out.results.length} unit(s).`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Something went wrong.");
    }
  };
  const nameOf = (id: number) => units.find((u) => u.id === id)?.name ?? `#${id}`;
  const accessAt = (id: number) => {
    const g = grants.get(id);
    return !g || (g.status === null && !g.hasFullAccess) ? "no access" : g.hasFullAccess ? "full access" : `${g.role}${g.status === "INVITED" ? " (invited)" : ""}`;
  };
  return (
    <div>
      {kind === "copy" && (
        <label className="block text-sm">From
          <select value={from} onChange={(e) => { setFrom(Number(e.target.value)); setPreview(null); }} className="ml-2 rounded border border-slate-300 px-2 py-1">
            {sources.map((id) => <option key={id} value={id}>{nameOf(id)}</option>)}
          </select>
        </label>
      )}
      <fieldset className="mt-2 grid gap-1 text-sm sm:grid-cols-3" data-testid="batch-units">
        <legend className="text-slate-600">Locations</legend>
        {units.filter((u) => kind === "remove" || u.id !== from).map((u) => (
          <label key={u.id}><input type="checkbox" checked={picked.includes(u.id)} data-testid={`pick-${u.id}`}
            onChange={(e) => { setPreview(null); setPicked(e.target.checked ? [...picked, u.id] : picked.filter((x) => x !== u.id)); }} /> {u.name}</label>
        ))}
      </fieldset>
      {error && <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p>}
      {preview && <DiffList testId="dry-run-results" rows={preview.map((r) => previewRow(r, nameOf(r.unitId), accessAt(r.unitId), kind === "copy" ? accessAt(from) : "no access"))} />}
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        <DialogClose><Button variant="ghost" size="sm">Cancel</Button></DialogClose>
        <Button variant="secondary" size="sm" disabled={picked.length === 0 || copy.isPending || remove.isPending} onClick={() => run(true)} data-testid="dry-run">Preview changes</Button>
        <Button variant={kind === "copy" ? "primary" : "danger"} size="sm" disabled={!preview || copy.isPending || remove.isPending} onClick={() => run(false)}
          data-testid={kind === "copy" ? "confirm-copy" : "confirm-remove"}>Confirm</Button>
      </div>
    </div>
  );
}
