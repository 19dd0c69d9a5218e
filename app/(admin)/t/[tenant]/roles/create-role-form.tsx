"use client";
/** Creates a custom role (slug, title, weight below owner); defaults are edited afterwards in the grid. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormSuccess, FormTextField, applyServerError, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import type { TCreateRoleFormValues, ZCreateRoleFormValues } from "@/server/services/roles/roles.schema.ts";

const DEFAULTS: TCreateRoleFormValues = { slug: "", title: "", weight: "30" };

export function CreateRoleForm({ tenant }: { tenant: string }) {
  const router = useRouter();
  const form = useZodForm(() => import("@/server/services/roles/roles.schema.ts").then((m) => m.ZCreateRoleFormValues), DEFAULTS);
  const [done, setDone] = useState<{ text: string; version: number } | null>(null);
  const create = trpc.roles.create.useMutation();

  async function onSubmit(v: z.output<typeof ZCreateRoleFormValues>) {
    setDone(null);
    try {
      const r = await create.mutateAsync({ tenant, ...v });
      form.reset(DEFAULTS);
      setDone((prev) => ({ text: `Created role ${r.title}.`, version: (prev?.version ?? 0) + 1 }));
      router.refresh();
    } catch (e) {
      // A taken slug names no field; the slug is what to change.
      if (!applyServerError(form, e)) form.setFocus("slug");
    }
  }

  return (
    <section aria-labelledby="create-role-heading" className="rounded-xl border border-slate-200 bg-white p-4" data-testid="create-role">
      <h2 id="create-role-heading" className="text-sm font-semibold">Create a role</h2>
      <Form form={form} onSubmit={onSubmit} onInvalid={() => setDone(null)} errorTestId="create-role-error" className="mt-3 space-y-3">
        <div className="grid gap-3 sm:grid-cols-[1fr_1fr_8rem_auto] sm:items-start">
          <FormTextField form={form} name="slug" label="Slug" autoComplete="off" hint="lower-case, e.g. shift_lead" />
          <FormTextField form={form} name="title" label="Title" autoComplete="off" />
          <FormTextField form={form} name="weight" label="Weight" inputMode="numeric" hint="1–99; owner is 100" />
          <Button type="submit" className="sm:mt-6" pending={form.formState.isSubmitting} pendingLabel="Creating…">Create role</Button>
        </div>
      </Form>
      {done && <FormSuccess version={done.version} className="mt-3">{done.text}</FormSuccess>}
    </section>
  );
}
