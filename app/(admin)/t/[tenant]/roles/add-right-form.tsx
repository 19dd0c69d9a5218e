"use client";
/** Adds a tenant-defined right (slug, category, title, type, default value); it appears in the grid after the refresh. */
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormSelectField, FormTextField, applyServerError, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import type { TCreateRightFormValues, ZCreateRightFormValues } from "@/server/services/roles/roles.schema.ts";
import { useRolesNotice } from "./notice.tsx";

const DEFAULTS: TCreateRightFormValues = { slug: "", category: "", title: "", type: "BOOLEAN", defaultChecked: false, defaultText: "0" };

export function AddRightForm({ tenant, categories }: { tenant: string; categories: string[] }) {
  const router = useRouter();
  const notify = useRolesNotice();
  const form = useZodForm(() => import("@/server/services/roles/roles.schema.ts").then((m) => m.ZCreateRightFormValues), DEFAULTS);
  const create = trpc.roles.createRight.useMutation();
  const type = form.watch("type");
  // A default typed for one kind of value rarely means anything for another.
  const { setValue } = form;
  useEffect(() => setValue("defaultText", type === "INTEGER" ? "0" : ""), [type, setValue]);

  async function onSubmit(v: z.output<typeof ZCreateRightFormValues>) {
    notify(null);
    try {
      const r = await create.mutateAsync({ tenant, ...v });
      // The category stays: rights are usually added a few at a time to one category.
      form.reset({ ...DEFAULTS, category: v.category });
      notify({ ok: true, text: `Added right ${r.title} (${r.slug}).` });
      router.refresh();
    } catch (e) {
      // A taken slug names no field; the slug is what to change.
      if (!applyServerError(form, e)) form.setFocus("slug");
    }
  }

  return (
    <section aria-labelledby="add-right-heading" className="mt-4 rounded-xl border border-slate-200 bg-white p-4" data-testid="add-right-form">
      <h2 id="add-right-heading" className="text-sm font-semibold">Add a right</h2>
      <Form form={form} onSubmit={onSubmit} errorTestId="add-right-error" className="mt-3 space-y-3">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-start">
          <FormTextField form={form} name="slug" label="Slug" autoComplete="off" hint="lower_snake_case" />
          <FormTextField form={form} name="category" label="Category" autoComplete="off" list="right-categories" />
          <FormTextField form={form} name="title" label="Title" autoComplete="off" />
          <FormSelectField form={form} name="type" label="Type">
            <option value="BOOLEAN">Yes/no</option>
            <option value="INTEGER">Number (-1 unlimited)</option>
            <option value="ENTITY_ID">Entity id</option>
            <option value="ID_LIST">List of ids</option>
          </FormSelectField>
          {type === "BOOLEAN" ? (
            <label className="flex items-center gap-2 text-sm font-medium text-slate-700 lg:mt-7">
              <input type="checkbox" {...form.register("defaultChecked")} /> Default
            </label>
          ) : (
            <FormTextField form={form} name="defaultText" label="Default" autoComplete="off" placeholder={type === "ID_LIST" ? "1,2,3" : undefined} />
          )}
        </div>
        <datalist id="right-categories">{categories.map((c) => <option key={c} value={c} />)}</datalist>
        <Button type="submit" pending={form.formState.isSubmitting} pendingLabel="Adding…">Add right</Button>
      </Form>
    </section>
  );
}
