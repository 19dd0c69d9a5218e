"use client";
/** The members table with row selection and bulk suspend / reactivate (each member handled on its own; results listed). */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { ScrollTable } from "@/app/_components/ui/scroll-table.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { displayName, fmtDateTime, initials } from "./format.ts";
import { MemberRoleSelect, type RoleOption } from "./member-role-select.tsx";
import { Notice, type NoticeState } from "./notice.tsx";

export type Row = {
  id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null; phone: string | null;
  status: "ACTIVE" | "SUSPENDED"; kind: "MEMBER" | "CLIENT"; roles: string[]; hasFullAccess: boolean; lastLoginAt: Date | null; createdAt: Date;
  /** Two-factor authentication on (shown as a badge next to the status). */
  twoFactor?: boolean;
  /** ACTIVE but the email is not confirmed yet: no access until it is. */
  pendingVerification?: boolean;
  /** The uploaded avatar's small square, or null for initials. */
  avatarUrl?: string | null;
  /** The viewer may change this member's roles (the options say which roles it may give). */
  canChangeRoles?: boolean;
};
export type SortHeader = { key: string; label: string; href: string; active: "ascending" | "descending" | null };

/** "Jane Doe (jane@x.test), Jo Berg (jo@x.test) and 3 more": who a bulk confirmation is about, short enough to read. */
function peopleList(people: Row[], shown = 5): string {
  const names = people.slice(0, shown).map((r) => { const n = displayName(r); return n === r.email ? r.email : `${n} (${r.email})`; });
  const more = people.length - names.length;
  if (more > 0) return `${names.join(", ")} and ${more} more`;
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}

/** Decorative: the name beside it says who it is. */
function Avatar({ row, name }: { row: Row; name: string }) {
  const box = "inline-flex h-7 w-7 shrink-0 items-center justify-center overflow-hidden rounded-full";
  if (row.avatarUrl) {
    // A 64 px square we serve with immutable caching: nothing for the image optimiser to do.
    return <img src={row.avatarUrl} alt="" aria-hidden width={28} height={28} loading="lazy" className={`${box} object-cover`} data-testid="member-avatar" />;
  }
  return <span aria-hidden className={`${box} bg-slate-200 text-xs font-semibold text-slate-700`} data-testid="member-avatar">{initials(name)}</span>;
}

export function MembersTable({ slug, tenantName, rows, headers, canBulk, roles }: {
  slug: string; tenantName: string; rows: Row[]; headers: SortHeader[]; canBulk: boolean; roles: RoleOption[];
}) {
  const titles = new Map(roles.map((r) => [r.slug, r.title]));
  const router = useRouter();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<NoticeState>(null);
  const suspend = trpc.members.suspend.useMutation();
  const reactivate = trpc.members.reactivate.useMutation();

  const toggle = (id: number) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));

  async function bulk(action: "suspend" | "reactivate") {
    const ids = [...selected];
    if (ids.length === 0) return;
    setBusy(true);
    const failures: string[] = [];
    let done = 0;
    for (const id of ids) {
      try {
        await (action === "suspend" ? suspend : reactivate).mutateAsync({ tenant: slug, id });
        done++;
      } catch (e) {
        const row = rows.find((r) => r.id === id);
        failures.push(`${row ? row.email : id}: ${e instanceof Error ? e.message : "failed"}`);
      }
    }
    setBusy(false);
    setSelected(new Set());
    const verb = action === "suspend" ? "Suspended" : "Reactivated";
    setNotice({ ok: failures.length === 0, text: `${verb} ${done} of ${ids.length}.${failures.length ? " Not changed: " + failures.join("; ") : ""}` });
    router.refresh();
  }

  return (
    <div className="space-y-3">
      {canBulk && (
        <div className="flex flex-wrap items-center gap-2" aria-label="Bulk actions" role="group">
          <span className="text-sm text-slate-600" aria-live="polite">{selected.size} selected</span>
          <ConfirmDialog
            data-testid="bulk-suspend-dialog"
            title={`Suspend ${selected.size} member${selected.size === 1 ? "" : "s"} of ${tenantName}?`}
            description={`${peopleList(rows.filter((r) => selected.has(r.id)))} ${selected.size === 1 ? "loses" : "lose"} access to ${tenantName} and every unit in it at their next request. Nothing is deleted; you can reactivate them later.`}
            confirmLabel="Suspend selected"
            confirmTestId="confirm-bulk-suspend"
            onConfirm={() => bulk("suspend")}
            trigger={<Button variant="danger-outline" size="sm" disabled={busy || selected.size === 0} data-testid="bulk-suspend">Suspend selected</Button>}
          />
          <button type="button" disabled={busy || selected.size === 0} onClick={() => bulk("reactivate")} data-testid="bulk-reactivate"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">Reactivate selected</button>
        </div>
      )}
      <Notice notice={notice} testId="members-notice" />
      {/* Every column stays on phones too (none hidden, none clipped): the table scrolls sideways in its frame. */}
      <ScrollTable label="Members table">
        <table data-testid="members-table" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              {canBulk && (
                <th scope="col" className="w-10 px-3 py-2">
                  <input type="checkbox" aria-label="Select all members on this page" checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))} />
                </th>
              )}
              {headers.map((h) => (
                <th key={h.key} scope="col" className="px-3 py-2 whitespace-nowrap" aria-sort={h.active ?? undefined}>
                  {h.href ? (
                    <Link href={h.href} className="inline-flex items-center gap-1 hover:text-slate-900">
                      {h.label}<span aria-hidden>{h.active === "ascending" ? "▲" : h.active === "descending" ? "▼" : ""}</span>
                    </Link>
                  ) : h.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 && (
              <tr><td colSpan={headers.length + (canBulk ? 1 : 0)} className="px-3 py-8 text-center text-slate-600">No members match.</td></tr>
            )}
            {rows.map((r) => {
              const name = displayName(r);
              const named = name !== r.email;
              return (
              <tr key={r.id} data-testid="member-row" className="hover:bg-slate-50">
                {canBulk && (
                  <td className="px-3 py-2">
                    <input type="checkbox" aria-label={`Select ${r.email}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                  </td>
                )}
                <td className="px-3 py-2">
                  <span className="flex items-center gap-2">
                    <Avatar row={r} name={name} />
                    <span>
                      <Link href={`/t/${slug}/members/${r.id}`} className="font-medium text-brand underline-offset-2 hover:underline">{name}</Link>
                      {r.kind === "CLIENT" && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">client</span>}
                    </span>
                  </span>
                </td>
                {/* Someone without a name is shown by their email already: it is not repeated. */}
                <td className="px-3 py-2">{named ? r.email : ""}</td>
                <td className="px-3 py-2">
                  {r.canChangeRoles && r.roles.length <= 1 ? (
                    <MemberRoleSelect slug={slug} id={r.id} name={name} role={r.roles[0] ?? null} hasFullAccess={r.hasFullAccess} options={roles} />
                  ) : (
                    // Several roles are changed on the member's page, where each can be ticked.
                    <span data-testid="member-roles">{r.roles.map((s) => titles.get(s) ?? s).join(", ")}</span>
                  )}
                  {r.hasFullAccess && <span className="ml-1 text-xs text-slate-600">(full access)</span>}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {r.pendingVerification ? (
                    <span data-testid="member-pending-verification" title="Has not confirmed their email address yet: no access until they do"
                      className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800">Pending verification</span>
                  ) : (
                    <span className={`rounded px-1.5 py-0.5 text-xs ${r.status === "ACTIVE" ? "bg-green-50 text-green-800" : "bg-amber-50 text-amber-800"}`}>{r.status === "ACTIVE" ? "Active" : "Suspended"}</span>
                  )}
                  {r.twoFactor !== undefined && (
                    <span data-testid="member-two-factor" title={r.twoFactor ? "Two-factor authentication on" : "No two-factor authentication"}
                      className={`ml-1 rounded px-1.5 py-0.5 text-xs ${r.twoFactor ? "bg-sky-50 text-sky-800" : "bg-slate-100 text-slate-600"}`}>
                      {r.twoFactor ? "2FA" : "no 2FA"}
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-600">{fmtDateTime(r.lastLoginAt)}</td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-600">{r.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
    </div>
  );
}
