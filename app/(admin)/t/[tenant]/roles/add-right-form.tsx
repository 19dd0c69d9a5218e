"use client";
/** Adds a tenant-defined right (slug, category, title, type, default value); it appears in the grid after the refresh. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";
import { useRolesNotice } from "./notice.tsx";
import { parseValue, type EditableType } from "./values.ts";

const field = "ml-2 rounded-md border border-slate-300 px-2 py-1";

export function AddRightForm({ tenant, categories }: { tenant: string; categories: string[] }) {
  const router = useRouter();
  const notify = useRolesNotice();
  const [slug, setSlug] = useState("");
  const [category, setCategory] = useState("");
  const [title, setTitle] = useState("");
  const [type, setType] = useState<EditableType>("BOOLEAN");
  const [boolDefault, setBoolDefault] = useState(false);
  const [textDefault, setTextDefault] = useState("0");
  const create = trpc.roles.createRight.useMutation({
    onSuccess: (r) => { notify({ ok: true, text: `Added right ${r.title} (${r.slug}).` }); setSlug(""); setTitle(""); router.refresh(); },
    onError: (e) => notify({ ok: false, text: e.message }),
  });
  return (
    <form className="mt-4 flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="add-right-form"
      onSubmit={(e) => {
        e.preventDefault();
        notify(null);
        let defaultValue: boolean | number | number[] | null = boolDefault;
        if (type !== "BOOLEAN") {
          const parsed = parseValue(type, textDefault);
          if ("error" in parsed) { notify({ ok: false, text: `Default: ${parsed.error}` }); return; }
          defaultValue = parsed.value;
        }
        create.mutate({ tenant, slug: slug.trim(), category: category.trim(), title: title.trim(), type, defaultValue });
      }}>
      <span className="w-full text-sm font-medium">Add a right</span>
      <label className="text-sm">Slug<input name="slug" required pattern="[a-z][a-z0-9_]+" title="lower_snake_case" value={slug} onChange={(e) => setSlug(e.target.value)} className={field} /></label>
      <label className="text-sm">Category<input name="category" required list="right-categories" pattern="[a-z][a-z0-9_]*" title="lower_snake_case" value={category} onChange={(e) => setCategory(e.target.value)} className={field} /></label>
      <datalist id="right-categories">{categories.map((c) => <option key={c} value={c} />)}</datalist>
      <label className="text-sm">Title<input name="title" required value={title} onChange={(e) => setTitle(e.target.value)} className={field} /></label>
      <label className="text-sm">Type
        <select name="type" value={type} onChange={(e) => { const t = e.target.value as EditableType; setType(t); setTextDefault(t === "ID_LIST" ? "" : t === "ENTITY_ID" ? "" : "0"); }} className={field}>
          <option value="BOOLEAN">Yes/no</option>
          <option value="INTEGER">Number (-1 unlimited)</option>
          <option value="ENTITY_ID">Entity id</option>
          <option value="ID_LIST">List of ids</option>
        </select>
      </label>
      {type === "BOOLEAN" ? (
        <label className="text-sm">Default<input name="defaultValue" type="checkbox" checked={boolDefault} onChange={(e) => setBoolDefault(e.target.checked)} className="ml-2" /></label>
      ) : (
        <label className="text-sm">Default<input name="defaultValue" value={textDefault} placeholder={type === "ID_LIST" ? "1,2,3" : ""} onChange={(e) => setTextDefault(e.target.value)} className={`${field} w-24`} /></label>
      )}
      <button type="submit" disabled={create.isPending} className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50">Add right</button>
    </form>
  );
}
