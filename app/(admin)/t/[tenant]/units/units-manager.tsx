"use client";
/** The units list with create / rename / archive (confirmed) and a unit's users, calling the units router. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog, Dialog, DialogClose } from "@/app/_components/ui/dialog.tsx";
import { Form, FormSelectField, FormTextField, applyServerError, useZodForm } from "@/app/_components/ui/form.tsx";
import { ScrollTable } from "@/app/_components/ui/scroll-table.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import type { TCreateUnitInput, ZCreateUnitInput, ZRenameUnitFormValues } from "@/server/services/units/units.schema.ts";

const loadSchemas = () => import("@/server/services/units/units.schema.ts");
const NEW_UNIT: TCreateUnitInput = { name: "", kind: "LOCATION" };

type Unit = { id: number; name: string; kind: "LOCATION" | "SUBSIDIARY" | "PROJECT"; archived: boolean; userCount: number };
type Notice = { ok: boolean; text: string } | null;

export function UnitsManager({ tenant, units, canManage }: { tenant: string; units: Unit[]; canManage: boolean }) {
  const router = useRouter();
  const [notice, setNotice] = useState<Notice>(null);
  const [open, setOpen] = useState<number | null>(null);
  const done = (text: string) => { setNotice({ ok: true, text }); router.refresh(); };
  const fail = (e: { message: string }) => setNotice({ ok: false, text: e.message });
  const form = useZodForm(() => loadSchemas().then((m) => m.ZCreateUnitInput), NEW_UNIT);
  const create = trpc.units.create.useMutation();
  async function onCreate(v: z.output<typeof ZCreateUnitInput>) {
    setNotice(null);
    try {
      const u = await create.mutateAsync({ tenant, ...v });
      form.reset(NEW_UNIT);
      done(`Created ${u.name}.`);
    } catch (e) {
      applyServerError(form, e);
    }
  }
  const archive = trpc.units.archive.useMutation({ onSuccess: (u) => done(`Archived ${u.name}.`), onError: fail });
  const restore = trpc.units.restore.useMutation({ onSuccess: (u) => done(`Restored ${u.name}.`), onError: fail });

  return (
    <div className="space-y-4">
      {notice && (
        <p role={notice.ok ? "status" : "alert"} data-testid="units-notice" className={`rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>
      )}
      {canManage && (
        <section aria-labelledby="create-unit-heading" className="rounded-xl border border-slate-200 bg-white p-4">
          <h2 id="create-unit-heading" className="text-sm font-semibold">Create a unit</h2>
          <Form form={form} onSubmit={onCreate} errorTestId="create-unit-error" className="mt-3">
            <div className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
              <FormTextField form={form} name="name" label="Name" autoComplete="off" data-testid="unit-name" />
              <FormSelectField form={form} name="kind" label="Kind">
                <option value="LOCATION">Location</option><option value="SUBSIDIARY">Subsidiary</option><option value="PROJECT">Project</option>
              </FormSelectField>
              <Button type="submit" className="sm:mt-6" pending={form.formState.isSubmitting} pendingLabel="Creating…" data-testid="create-unit">Create unit</Button>
            </div>
          </Form>
        </section>
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
                {canManage && !u.archived && <RenameUnit tenant={tenant} unit={u} onRenamed={(name) => done(`Renamed to ${name}.`)} />}
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

/** Rename in a dialog: the name to change is prefilled and selected; Escape or Cancel leaves it as it was. */
function RenameUnit({ tenant, unit, onRenamed }: { tenant: string; unit: Unit; onRenamed: (name: string) => void }) {
  const [open, setOpen] = useState(false);
  const form = useZodForm(() => loadSchemas().then((m) => m.ZRenameUnitFormValues), { name: unit.name });
  const rename = trpc.units.rename.useMutation();
  async function onSubmit(v: z.output<typeof ZRenameUnitFormValues>) {
    if (v.name === unit.name) return setOpen(false);
    try {
      const u = await rename.mutateAsync({ tenant, unitId: unit.id, name: v.name });
      setOpen(false);
      onRenamed(u.name);
    } catch (e) {
      applyServerError(form, e);
    }
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(v) => {
        if (v) form.reset({ name: unit.name });
        setOpen(v);
      }}
      trigger={<Button variant="ghost" size="sm">Rename</Button>}
      title={`Rename ${unit.name}`}
      data-testid="rename-unit-dialog"
    >
      <Form form={form} onSubmit={onSubmit} errorTestId="rename-unit-error">
        <FormTextField form={form} name="name" label="New name" autoComplete="off" onFocus={(e) => e.currentTarget.select()} />
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose><Button variant="secondary">Cancel</Button></DialogClose>
          <Button type="submit" pending={form.formState.isSubmitting} pendingLabel="Saving…">Save name</Button>
        </div>
      </Form>
    </Dialog>
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
