"use client";
/**
 * Per-role controls in the grid's column header (non-owner roles): rename and re-weight; delete for custom roles,
 * after an inline confirmation. The server decides whether the role is in use and says so when it is.
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";
import { useRolesNotice } from "./notice.tsx";

type Role = { slug: string; title: string; weight: number; builtIn: boolean; usage: number };

const btn = "rounded border border-slate-300 px-2 py-0.5 text-xs font-normal hover:bg-slate-50 disabled:opacity-50";

export function RoleControls({ tenant, role }: { tenant: string; role: Role }) {
  const router = useRouter();
  const notify = useRolesNotice();
  const [mode, setMode] = useState<"idle" | "edit" | "confirm-delete">("idle");
  const [title, setTitle] = useState(role.title);
  const [weight, setWeight] = useState(String(role.weight));
  const fail = (e: { message: string }) => notify({ ok: false, text: e.message });
  const update = trpc.roles.update.useMutation({
    onSuccess: (r) => { notify({ ok: true, text: `Saved role ${r.title} (weight ${r.weight}).` }); setMode("idle"); router.refresh(); },
    onError: fail,
  });
  const remove = trpc.roles.delete.useMutation({
    onSuccess: (r) => { notify({ ok: true, text: `Deleted role ${r.slug}.` }); setMode("idle"); router.refresh(); },
    onError: (e) => { fail(e); setMode("idle"); },
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
  if (mode === "confirm-delete") {
    return (
      <div role="group" aria-label={`Confirm deleting ${role.slug}`} className="mt-1 flex flex-col items-center gap-1 text-xs font-normal">
        <span>Delete {role.title}?{role.usage > 0 ? ` (held ${role.usage}×)` : ""}</span>
        <span className="flex gap-1">
          <button type="button" data-testid={`role-delete-confirm-${role.slug}`} disabled={remove.isPending}
            onClick={() => { notify(null); remove.mutate({ tenant, slug: role.slug }); }}
            className="rounded border border-red-300 px-2 py-0.5 text-red-700 hover:bg-red-50 disabled:opacity-50">Delete</button>
          <button type="button" onClick={() => setMode("idle")} className={btn}>Cancel</button>
        </span>
      </div>
    );
  }
  return (
    <span className="mt-1 flex justify-center gap-1">
      <button type="button" data-testid={`role-rename-${role.slug}`} onClick={() => { setTitle(role.title); setWeight(String(role.weight)); setMode("edit"); }} className={btn}>Rename</button>
      {!role.builtIn && (
        <button type="button" data-testid={`role-delete-${role.slug}`} onClick={() => setMode("confirm-delete")} className={`${btn} text-red-700`}>Delete</button>
      )}
    </span>
  );
}
