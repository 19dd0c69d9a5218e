"use client";
/** The units list with create / rename / archive (confirmed) and a unit's users, calling the units router. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { ScrollTable } from "@/app/_components/ui/scroll-table.tsx";
import { trpc } from "@/app/_trpc/react.tsx";

type Unit = { id: number; name: string; kind: "LOCATION" | "SUBSIDIARY" | "PROJECT"; archived: boolean; userCount: number };
type Notice = { ok: boolean; text: string } | null;

export function UnitsManager({ tenant, units, canManage }: { tenant: string; units: Unit[]; canManage: boolean }) {
  const router = useRouter();
  const [notice, setNotice] = useState<Notice>(null);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<Unit["kind"]>("LOCATION");
  const [open, setOpen] = useState<number | null>(null);
  const done = (text: string) => { setNotice({ ok: true, text }); router.refresh(); };
  const fail = (e: { message: string }) => setNotice({ ok: false, text: e.message });
  const create = trpc.units.create.useMutation({ onSuccess: (u) => { setName(""); done(`Created ${u.name}.`); }, onError: fail });
  const rename = trpc.units.rename.useMutation({ onSuccess: (u) => done(`Renamed to ${u.name}.`), onError: fail });
  const archive = trpc.units.archive.useMutation({ onSuccess: (u) => done(`Archived ${u.name}.`), onError: fail });
  const restore = trpc.units.restore.useMutation({ onSuccess: (u) => done(`Restored ${u.name}.`), onError: fail });

  return (
    <div className="space-y-4">
      {notice && (
        <p role={notice.ok ? "status" : "alert"} data-testid="units-notice" className={`rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>
      )}
      {canManage && (
        <form className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 bg-white p-4"
          onSubmit={(e) => { e.preventDefault(); create.mutate({ tenant, name, kind }); }}>
          <label className="text-sm">Name<input required value={name} onChange={(e) => setName(e.target.value)} data-testid="unit-name"
            className="ml-2 rounded-md border border-slate-300 px-2 py-1" /></label>
          <label className="text-sm">Kind<select value={kind} onChange={(e) => setKind(e.target.value as Unit["kind"])} className="ml-2 rounded-md border border-slate-300 px-2 py-1">
            <option value="LOCATION">Location</option><option value="SUBSIDIARY">Subsidiary</option><option value="PROJECT">Project</option>
          </select></label>
          <button type="submit" disabled={create.isPending} data-testid="create-unit" className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50">Create unit</button>
        </form>
      )}
      <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" data-testid="units-list">
        {units.length === 0 && <li className="p-4 text-sm text-slate-600">No units yet.</li>}
        {units.map((u) => (
          <li key={u.id} className="p-3 text-sm" data-testid="unit-row">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div>
                <span className="font-medium">{u.name}</span>
                <span className="ml-2 text-slate-600">{u.kind.toLowerCase()} · #{u.id} · {u.userCount} with access{u.archived ? " · archived" : ""}</span>
              </div>
              <div className="flex gap-1">
                <button type="button" onClick={() => setOpen(open === u.id ? null : u.id)} className="rounded-md px-2 py-1 hover:bg-slate-100">{open === u.id ? "Hide users" : "Users"}</button>
                {canManage && !u.archived && (
                  <button type="button" className="rounded-md px-2 py-1 hover:bg-slate-100"
                    onClick={() => { const next = prompt("New name", u.name); if (next && next !== u.name) rename.mutate({ tenant, unitId: u.id, name: next }); }}>Rename</button>
                )}
                {canManage && (u.archived ? (
                  <button type="button" className="rounded-md px-2 py-1 hover:bg-slate-100" onClick={() => restore.mutate({ tenant, unitId: u.id })}>Restore</button>
                ) : (
                  <ConfirmDialog
                    data-testid="archive-unit-dialog"
                    title={`Archive ${u.name}?`}
                    description={`The ${u.userCount} ${u.userCount === 1 ? "person" : "people"} with access to ${u.name} lose it until the unit is restored.`}
                    confirmLabel="Archive unit"
                    confirmTestId="confirm-archive-unit"
                    onConfirm={() => archive.mutateAsync({ tenant, unitId: u.id }).catch(() => {})}
                    trigger={<Button variant="danger-outline" size="sm">Archive</Button>}
                  />
                ))}
              </div>
            </div>
            {open === u.id && !u.archived && <UnitUsers tenant={tenant} unitId={u.id} unitName={u.name} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

function UnitUsers({ tenant, unitId, unitName }: { tenant: string; unitId: number; unitName: string }) {
  const users = trpc.units.users.useQuery({ tenant, unitId });
  if (users.isPending) return <p className="mt-2 text-slate-600">Loading…</p>;
  if (users.error) return <p role="alert" className="mt-2 text-red-700">{users.error.message}</p>;
  // A unit row is already phone-wide, so its people table scrolls sideways in its own frame rather than clipping emails.
  return (
    <div className="mt-2">
      <ScrollTable label={`People with access to ${unitName}`}>
        <table className="w-full text-left" data-testid="unit-users">
          <thead className="bg-slate-50 text-slate-600"><tr className="whitespace-nowrap">
            <th scope="col" className="px-3 py-1.5 font-medium">Name</th><th scope="col" className="px-3 py-1.5 font-medium">Email</th>
            <th scope="col" className="px-3 py-1.5 font-medium">Role</th><th scope="col" className="px-3 py-1.5 font-medium">Status</th>
          </tr></thead>
          <tbody>
            {users.data.map((m) => (
              <tr key={m.userId} className="border-t border-slate-100">
                <td className="px-3 py-1.5"><a className="text-brand underline-offset-2 hover:underline" href={`/t/${tenant}/members/${m.membershipId}/access`}>{m.name}</a></td>
                <td className="px-3 py-1.5">{m.email}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">{m.hasFullAccess ? "full access" : m.role}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">{m.isApproved ? "accepted" : "invited"}{m.isNonDeletable ? " · last owner" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </div>
  );
}
