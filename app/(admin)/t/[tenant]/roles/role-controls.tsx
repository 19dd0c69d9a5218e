"use client";
/**
 * Per-role controls in the grid's column header (non-owner roles): rename and re-weight; delete for custom roles,
 * confirmed in a dialog. The server decides whether the role is in use and says so when it is.
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { useRolesNotice } from "./notice.tsx";

type Role = { slug: string; title: string; weight: number; builtIn: boolean; usage: number };

const btn = "rounded border border-slate-300 px-2 py-0.5 text-xs font-normal hover:bg-slate-50 disabled:opacity-50";

export function RoleControls({ tenant, tenantName, role }: { tenant: string; tenantName: string; role: Role }) {
  const router = useRouter();
  const notify = useRolesNotice();
  const [mode, setMode] = useState<"idle" | "edit">("idle");
  const [title, setTitle] = useState(role.title);
  const [weight, setWeight] = useState(String(role.weight));
  const fail = (e: { message: string }) => notify({ ok: false, text: e.message });
  const update = trpc.roles.update.useMutation({
    onSuccess: (r) => { notify({ ok: true, text: `Saved role ${r.title} (weight ${r.weight}).` }); setMode("idle"); router.refresh(); },
    onError: fail,
  });
  const remove = trpc.roles.delete.useMutation({
    onSuccess: (r) => { notify({ ok: true, text: `Deleted role ${r.slug}.` }); setMode("idle"); router.refresh(); },
    onError: fail,
  });

  if (mode === "edit") {
    return (
      <form className="mt-1 flex flex-col items-center gap-1 text-xs font-normal" data-testid={`role-edit-form-${role.slug}`}
        onSubmit={(e) => {
          e.preventDefault();
          notify(null);
          const w = Number(weight);
          const changes = { ...(title.trim() !== role.title ? { title: title.trim() } : {}), ...(w !== role.weight ? { weight: w } : {}) };
          if (Object.keys(changes).length === 0) { setMode("idle"); return; }
          update.mutate({ tenant, slug: role.slug, ...changes });
        }}>
        <input required aria-label={`Title of ${role.slug}`} value={title} onChange={(e) => setTitle(e.target.value)} className="w-28 rounded border border-slate-300 px-1" />
        <input required type="number" min={1} max={99} aria-label={`Weight of ${role.slug}`} value={weight} onChange={(e) => setWeight(e.target.value)} className="w-16 rounded border border-slate-300 px-1" />
        <span className="flex gap-1">
          <button type="submit" disabled={update.isPending} className={btn}>Save</button>
          <button type="button" onClick={() => { setTitle(role.title); setWeight(String(role.weight)); setMode("idle"); }} className={btn}>Cancel</button>
        </span>
      </form>
    );
  }
  return (
    <span className="mt-1 flex justify-center gap-1">
      <button type="button" data-testid={`role-rename-${role.slug}`} onClick={() => { setTitle(role.title); setWeight(String(role.weight)); setMode("edit"); }} className={btn}>Rename</button>
      {!role.builtIn && (
        <ConfirmDialog
          data-testid={`role-delete-dialog-${role.slug}`}
          title={`Delete the role ${role.title} from ${tenantName}?`}
          description={role.usage > 0
            ? `It is in use (held ${role.usage}×), so it cannot be deleted yet: give its holders another role first.`
            : `No one holds it. The role and its permission defaults are deleted for good.`}
          confirmLabel="Delete role"
          confirmTestId={`role-delete-confirm-${role.slug}`}
          onConfirm={() => { notify(null); return remove.mutateAsync({ tenant, slug: role.slug }).catch(() => {}); }}
          trigger={<button type="button" data-testid={`role-delete-${role.slug}`} className={`${btn} text-red-700`}>Delete</button>}
        />
      )}
    </span>
  );
}
