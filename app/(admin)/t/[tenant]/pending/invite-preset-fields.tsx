"use client";
/** Kind, role, unit and message: the presets the single invite and the paste form both ask for. */
import type { FieldPath, UseFormReturn } from "react-hook-form";
import { FormSelectField, FormTextField } from "@/app/_components/ui/form.tsx";
import type { TInvitePresetFormValues } from "@/server/services/invitations/invitations.schema.ts";

type Option = { slug: string; title: string };
type Unit = { id: number; name: string; kind: string };

export function InvitePresetFields<T extends TInvitePresetFormValues, O>({ form, idPrefix, roles, units, messageClassName = "sm:col-span-2" }: {
  form: UseFormReturn<T, unknown, O>;
  /** Prefix of the fields' ids, unique per form on the page. */
  idPrefix: string;
  roles: Option[];
  units: Unit[];
  messageClassName?: string;
}) {
  // T has these fields (the constraint says so), but TypeScript cannot resolve a generic's field paths.
  const name = (n: keyof TInvitePresetFormValues) => n as FieldPath<T>;
  return (
    <>
      <FormSelectField form={form} name={name("kind")} id={`${idPrefix}-kind`} label="Kind">
        <option value="MEMBER">Member</option>
        <option value="CLIENT">Client user</option>
      </FormSelectField>
      <FormSelectField form={form} name={name("role")} id={`${idPrefix}-role`} label="Role">
        <option value="">Default for the kind</option>
        {roles.map((r) => <option key={r.slug} value={r.slug}>{r.title}</option>)}
      </FormSelectField>
      <FormSelectField form={form} name={name("unitId")} id={`${idPrefix}-unit`} label="Unit (optional)" className="sm:col-span-2">
        <option value="">No unit yet</option>
        {units.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.kind.toLowerCase()})</option>)}
      </FormSelectField>
      <FormTextField form={form} name={name("message")} id={`${idPrefix}-message`} label="Message (optional)" className={messageClassName} />
    </>
  );
}
