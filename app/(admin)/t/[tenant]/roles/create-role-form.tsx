"use client";
/** Creates a custom role (slug, title, weight below owner); defaults are edited afterwards. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";

export function CreateRoleForm({ tenant }: { tenant: string }) {
  const router = useRouter();
  const [slug, setSlug] = useState("");
  const [title, setTitle] = useState("");
  const [weight, setWeight] = useState(30);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const create = trpc.roles.create.useMutation({
    onSuccess: (r) => { setNotice({ ok: true, text: `Created role ${r.title}.` }); setSlug(""); setTitle(""); router.refresh(); },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });
  return (
    <form className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="create-role"
      onSubmit={(e) => { e.preventDefault(); create.mutate({ tenant, slug, title, weight }); }}>
      <label className="text-sm">Slug<input required pattern="[a-z][a-z0-9_\-]*" value={slug} onChange={(e) => setSlug(e.target.value)} className="ml-2 rounded-md border border-slate-300 px-2 py-1" /></label>
      <label className="text-sm">Title<input required value={title} onChange={(e) => setTitle(e.target.value)} className="ml-2 rounded-md border border-slate-300 px-2 py-1" /></label>
      <label className="text-sm">Weight<input type="number" min={1} max={99} value={weight} onChange={(e) => setWeight(Number(e.target.value))} className="ml-2 w-20 rounded-md border border-slate-300 px-2 py-1" /></label>
      <button type="submit" disabled={create.isPending} className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50">Create role</button>
      {notice && <p role={notice.ok ? "status" : "alert"} className={`w-full rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>}
    </form>
  );
}
