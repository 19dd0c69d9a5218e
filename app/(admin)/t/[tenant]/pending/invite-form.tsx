"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormSuccess, FormTextField, applyServerError, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { InvitePresetFields } from "./invite-preset-fields.tsx";
import type { ZInviteFormValues, TInviteFormValues } from "@/server/services/invitations/invitations.schema.ts";

type Option = { slug: string; title: string };
type Unit = { id: number; name: string; kind: string };
type Result = { text: string; url: string | null; version: number };

const DEFAULTS: TInviteFormValues = { email: "", kind: "MEMBER", role: "worker", unitId: "", message: "", sendEmail: true };

/** Invite one person by email, with a tenant role, optionally a unit (with the same role) and a message. */
export function InviteForm({ tenant, roles, units, kind = "MEMBER" }: { tenant: string; roles: Option[]; units: Unit[]; kind?: "MEMBER" | "CLIENT" }) {
  const router = useRouter();
  // The tab the form sits in (Invitations or Client invitations) picks the kind it starts with.
  const defaults: TInviteFormValues = kind === "CLIENT" ? { ...DEFAULTS, kind, role: "" } : DEFAULTS;
  const form = useZodForm(() => import("@/server/services/invitations/invitations.schema.ts").then((m) => m.ZInviteFormValues), defaults);
  const [result, setResult] = useState<Result | null>(null);
  const create = trpc.invitations.create.useMutation();

  async function onSubmit(v: z.output<typeof ZInviteFormValues>) {
    setResult(null);
    const unitId = Number(v.unitId || 0);
    try {
      const r = await create.mutateAsync({
        tenant,
        email: v.email,
        kind: v.kind,
        roles: v.role ? [v.role] : [],
        unitGrants: unitId ? [{ unitId, role: v.role || (v.kind === "CLIENT" ? "client" : "worker"), permissions: [] }] : [],
        message: v.message || null,
        sendEmail: v.sendEmail,
      });
      // A fresh form for the next person; the result message takes focus (FormSuccess), not the emptied field.
      form.reset(defaults);
      setResult((prev) => ({
        text: r.inviteUrl ? "Invitation created. Copy the link below and send it yourself; it is shown only once." : `Invitation sent to ${r.invitation.email ?? r.invitation.phone}.`,
        url: r.inviteUrl,
        version: (prev?.version ?? 0) + 1,
      }));
      router.refresh();
    } catch (e) {
      applyServerError(form, e);
      // A refusal that names no field (already invited, already a member) is about the address: focus it to fix.
      if (!form.formState.errors.email) form.setFocus("email");
    }
  }

  return (
    <section aria-labelledby="invite-heading" data-testid="invite-form" className="mb-8 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="invite-heading" className="text-base font-semibold">Invite someone</h2>
      <Form form={form} onSubmit={onSubmit} onInvalid={() => setResult(null)} errorTestId="invite-error" className="mt-3 space-y-3" aria-labelledby="invite-heading">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <FormTextField form={form} name="email" id="inv-email" label="Email" type="email" autoComplete="off" className="sm:col-span-2" />
          <InvitePresetFields form={form} idPrefix="inv" roles={roles} units={units} />
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <label className="flex items-center gap-2 text-sm"><input type="checkbox" {...form.register("sendEmail")} /> Send the invitation email</label>
          <Button type="submit" pending={form.formState.isSubmitting} pendingLabel="Inviting…" data-testid="invite-submit">Invite</Button>
        </div>
      </Form>
      {result && (
        <FormSuccess version={result.version} data-testid="invite-notice" className="mt-3">
          {result.text}
          {result.url && <input readOnly value={result.url} aria-label="Invitation link" data-testid="invite-url" className="mt-2 block w-full rounded border border-green-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />}
        </FormSuccess>
      )}
    </section>
  );
}
