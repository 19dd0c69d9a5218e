"use client";
/**
 * The unit × permission matrix (client island): a cell is editable only where the server said `isEditable`; edits
 * call access.update. Copy/remove dialogs run a dry run first and show its per-unit results before confirming.
 * They offer LOCATION units only: copy/remove is seed 000's "copy to companies" (locations), and its REST door
 * refuses other kinds; the console offers the same choice rather than a wider one.
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatRightValue } from "@/app/_components/right-value.ts";
import { Button, Dialog, DialogClose } from "@/app/_components/ui/index.ts";
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

/**
 * One editable value. A checkbox shows the clicked value while the save is in flight (instead of snapping back until
 * the refresh); a text field saves on blur only when its value changed, and falls back to the server's value when a
 * save is refused, so the screen never shows a value the server does not hold.
 */
function EditableCell({ cell, label, busy, save }: { cell: Perm; label: string; busy: boolean; save: (v: Value) => Promise<unknown> }) {
  const [pending, setPending] = useState<boolean | null>(null);
  if (cell.type === "BOOLEAN") {
    return (
      <input type="checkbox" aria-label={label} checked={pending ?? cell.value === true} disabled={busy}
        onChange={(e) => {
          setPending(e.target.checked);
          save(e.target.checked).catch(() => {}).finally(() => setPending(null));
        }} />
    );
  }
  return (
    // Keyed by the server value: a refresh with a new value remounts the field with it.
    <input key={asText(cell.value)} defaultValue={asText(cell.value)} aria-label={label} className="w-20 rounded border border-slate-300 px-1"
      onBlur={(e) => {
        const field = e.currentTarget;
        if (field.value.trim() === asText(cell.value)) return;
        save(parse(cell.type, field.value)).catch(() => { field.value = asText(cell.value); });
      }} />
  );
}

export function AccessMatrix({ tenant, userId, units, grants }: { tenant: string; userId: number; units: Unit[]; grants: Grant[] }) {
  const router = useRouter();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [dialog, setDialog] = useState<"copy" | "remove" | null>(null);
  const fail = (e: { message: string }) => setNotice({ ok: false, text: e.message });
  const update = trpc.access.update.useMutation({ onSuccess: () => { setNotice({ ok: true, text: "Saved." }); router.refresh(); }, onError: fail });
  const byUnit = new Map(grants.map((g) => [g.unitId, g]));
  const columns = units.filter((u) => { const g = byUnit.get(u.id); return g && (g.status !== null || g.hasFullAccess); });
  const rows = grants[0]?.permissions ?? [];
  const locations = units.filter((u) => u.kind === "LOCATION");
  const isLocation = (unitId: number) => locations.some((u) => u.id === unitId);
  const sources = grants.filter((g) => g.status === "ACTIVE" && isLocation(g.unitId));
  const removable = columns.filter((u) => isLocation(u.id));
  const openDialog = (kind: "copy" | "remove") => (open: boolean) => setDialog(open ? kind : null);
  const done = (text: string) => { setDialog(null); setNotice({ ok: true, text }); router.refresh(); };

  return (
    <div className="space-y-4">
      {notice && <p role={notice.ok ? "status" : "alert"} data-testid="access-notice" className={`rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>}
      <div className="flex flex-wrap gap-2">
        <BatchDialog kind="copy" open={dialog === "copy"} onOpenChange={openDialog("copy")} tenant={tenant} userId={userId} units={locations}
          sources={sources.map((g) => g.unitId)} onDone={done}
          trigger={<Button variant="secondary" size="sm" disabled={sources.length === 0} data-testid="open-copy">Copy to units…</Button>} />
        <BatchDialog kind="remove" open={dialog === "remove"} onOpenChange={openDialog("remove")} tenant={tenant} userId={userId} units={locations}
          sources={removable.map((u) => u.id)} onDone={done}
          trigger={<Button variant="danger-outline" size="sm" disabled={removable.length === 0} data-testid="open-remove">Remove from units…</Button>} />
      </div>
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
                  return <th key={u.id} className="px-3 py-2">{u.name}<div className="text-xs font-normal text-slate-500">{g.hasFullAccess ? "full access" : `${g.role}${g.status === "INVITED" ? " · invited" : ""}`}</div></th>;
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.slug} className="border-t border-slate-100">
                  <td className="px-3 py-1">{p.title}<span className="ml-1 text-xs text-slate-400">{p.category}</span></td>
                  {columns.map((u) => {
                    const cell = byUnit.get(u.id)!.permissions.find((x) => x.slug === p.slug)!;
                    return (
                      <td key={u.id} className="px-3 py-1" data-testid={`cell-${u.id}-${p.slug}`} title={`source: ${cell.source}`}>
                        {cell.isEditable ? (
                          <EditableCell cell={cell} label={`${p.title} at ${u.name}`} busy={update.isPending}
                            save={(value) => update.mutateAsync({ tenant, unitId: u.id, userId, permissions: [{ slug: p.slug, value }] })} />
                        ) : (
                          <span>{formatRightValue(cell.type, cell.value)}</span>
                        )}
                        <span className="ml-1 text-xs text-slate-400">{cell.source.replace("_", " ")}</span>
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

type BatchProps = { kind: "copy" | "remove"; tenant: string; userId: number; units: Unit[]; sources: number[]; onDone: (text: string) => void };

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
  const { kind, tenant, userId, units, sources } = props;
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
      {preview && (
        <ul data-testid="dry-run-results" className="mt-2 rounded-md bg-slate-50 p-2 text-sm">
          {preview.map((r) => <li key={r.unitId}>{nameOf(r.unitId)}: {r.result.replace(/_/g, " ")}</li>)}
        </ul>
      )}
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        <DialogClose><Button variant="ghost" size="sm">Cancel</Button></DialogClose>
        <Button variant="secondary" size="sm" disabled={picked.length === 0 || copy.isPending || remove.isPending} onClick={() => run(true)} data-testid="dry-run">Preview changes</Button>
        <Button variant={kind === "copy" ? "primary" : "danger"} size="sm" disabled={!preview || copy.isPending || remove.isPending} onClick={() => run(false)}
          data-testid={kind === "copy" ? "confirm-copy" : "confirm-remove"}>Confirm</Button>
      </div>
    </div>
  );
}
