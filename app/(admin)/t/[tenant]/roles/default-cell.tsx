"use client";
/**
 * One role's default value of one right, editable in the roles grid: a checkbox (BOOLEAN) saves on change, a text
 * field saves on blur (or Enter) only when the value changed. A refused save rolls the field back to the server's value.
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";
import { useRolesNotice } from "./notice.tsx";
import { parseValue, valueText, type EditableType, type RightValueIn } from "./values.ts";

type Props = { tenant: string; roleSlug: string; roleTitle: string; rightSlug: string; rightTitle: string; type: EditableType; value: RightValueIn };

export function DefaultCell({ tenant, roleSlug, roleTitle, rightSlug, rightTitle, type, value }: Props) {
  const router = useRouter();
  const notify = useRolesNotice();
  // The clicked value while its save is in flight, tied to the server value it was clicked on: once the refresh
  // brings a new server value it no longer applies (no effect needed to clear it).
  const [pending, setPending] = useState<{ checked: boolean; base: RightValueIn } | null>(null);
  const update = trpc.roles.update.useMutation();
  const testId = `role-default-${roleSlug}-${rightSlug}`;
  const label = `${rightTitle} for ${roleTitle}`;

  const save = async (next: RightValueIn) => {
    notify(null);
    try {
      await update.mutateAsync({ tenant, slug: roleSlug, defaults: [{ slug: rightSlug, value: next }] });
      notify({ ok: true, text: `Saved ${rightTitle} for ${roleTitle}.` });
      router.refresh();
      return true;
    } catch (e) {
      notify({ ok: false, text: e instanceof Error ? e.message : "Could not save." });
      return false;
    }
  };

  if (type === "BOOLEAN") {
    return (
      <input type="checkbox" data-testid={testId} aria-label={label} checked={pending && pending.base === value ? pending.checked : value === true} disabled={update.isPending}
        onChange={(e) => {
          const next = e.target.checked;
          setPending({ checked: next, base: value });
          // On success keep the clicked value until the refresh brings the server's; on error drop it (roll back).
          void save(next).then((ok) => { if (!ok) setPending(null); });
        }} />
    );
  }
  return (
    // Keyed by the server value: a refresh with a new value remounts the field with it.
    <input key={valueText(value)} defaultValue={valueText(value)} data-testid={testId} aria-label={label} disabled={update.isPending}
      className="w-20 rounded border border-slate-300 px-1 text-center"
      onKeyDown={(e) => { if (e.key === "Enter") e.currentTarget.blur(); }}
      onBlur={(e) => {
        const field = e.currentTarget;
        if (field.value.trim() === valueText(value)) return;
        const parsed = parseValue(type, field.value);
        if ("error" in parsed) {
          notify({ ok: false, text: `${rightTitle}: ${parsed.error}` });
          field.value = valueText(value);
          return;
        }
        void save(parsed.value).then((ok) => { if (!ok) field.value = valueText(value); });
      }} />
  );
}
