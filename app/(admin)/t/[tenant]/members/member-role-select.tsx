"use client";
/**
 * A member's tenant role, changed from the list: one select per row, named after the member, saving on change.
 * The server decides again (members.setRoles: rank, grant ceiling, last owner, a recent sign-in, which the
 * re-authentication dialog asks for); a refusal is shown beside the select in its words and the select goes back.
 */
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";

export type RoleOption = { slug: string; title: string; assignable: boolean };

export function MemberRoleSelect({ slug, id, name, role, hasFullAccess, options }: {
  slug: string; id: number; name: string; role: string | null; hasFullAccess: boolean; options: RoleOption[];
}) {
  const router = useRouter();
  const [value, setValue] = useState(role ?? "");
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const messageId = useId();
  const save = trpc.members.setRoles.useMutation();
  // A role changed elsewhere arrives with the refreshed page.
  useEffect(() => setValue(role ?? ""), [role]);
  // The roles the caller may give, and the member's own (shown even when the caller could not give it again).
  const shown = options.filter((o) => o.assignable || o.slug === role);

  async function change(next: string) {
    // One change at a time (the select stays enabled, so the focus stays on it; a disabled control drops it).
    if (save.isPending) return;
    const before = value;
    setValue(next);
    setOutcome(null);
    try {
      await save.mutateAsync({ tenant: slug, id, roles: [next], hasFullAccess });
      setOutcome({ ok: true, text: "Saved" });
      router.refresh();
    } catch (e) {
      setValue(before);
      const text = e instanceof Error && e.message ? e.message : "The role could not be saved. Try again.";
      setOutcome({ ok: false, text: /fetch|network/i.test(text) ? "The role could not be saved: no connection. Try again." : text });
    }
  }

  return (
    <div className="min-w-36">
      <select aria-label={`Role of ${name}`} value={value} aria-busy={save.isPending || undefined} data-testid="member-role-select"
        aria-invalid={outcome && !outcome.ok ? true : undefined} aria-describedby={outcome ? messageId : undefined}
        onChange={(e) => void change(e.target.value)}
        className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm aria-busy:opacity-60">
        {value === "" && <option value="" disabled>No role</option>}
        {shown.map((o) => <option key={o.slug} value={o.slug} disabled={!o.assignable}>{o.title}</option>)}
      </select>
      {outcome && (
        <p id={messageId} role={outcome.ok ? "status" : "alert"} data-testid="member-role-message"
          className={`mt-1 max-w-56 text-xs ${outcome.ok ? "text-green-800" : "text-red-800"}`}>{outcome.text}</p>
      )}
    </div>
  );
}
