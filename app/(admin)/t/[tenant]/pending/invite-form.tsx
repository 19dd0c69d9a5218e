"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";

type Option = { slug: string; title: string };
type Unit = { id: number; name: string; kind: string };

const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm";

/** Invite one person by email, with a tenant role, optionally a unit (with the same role) and a message. */
export function InviteForm({ tenant, roles, units }: { tenant: string; roles: Option[]; units: Unit[] }) {
  const router = useRouter();
  const [notice, setNotice] = useState<{ ok: boolean; text: string; url?: string | null } | null>(null);
  const create = trpc.invitations.create.useMutation({
    onSuccess: (r) => {
      setNotice({ ok: true, text: r.inviteUrl ? "Invitation created. Copy the link below and send it yourself; it is shown only once." : `Invitation sent to ${r.invitation.email ?? r.invitation.phone}.`, url: r.inviteUrl });
      router.refresh();
    },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const role = String(f.get("role") || "");
    const unitId = Number(f.get("unitId") || 0);
    const kind = f.get("kind") === "CLIENT" ? "CLIENT" : "MEMBER";
    create.mutate({
      tenant,
      email: String(f.get("email") ?? ""),
      kind,
      roles: role ? [role] : [],
      unitGrants: unitId ? [{ unitId, role: role || (kind === "CLIENT" ? "client" : "worker"), permissions: [] }] : [],
      message: String(f.get("message") ?? "") || null,
      sendEmail: f.get("sendEmail") === "on",
    } as never);
  }

  return (
    <form onSubmit={onSubmit} data-testid="invite-form" className="mb-8 rounded-xl border border-slate-200 bg-white p-5">
      <h2 className="text-base font-semibold">Invite someone</h2>
      <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div className="sm:col-span-2"><label htmlFor="inv-email" className="block text-sm font-medium text-slate-700">Email</label>
          <input id="inv-email" name="email" type="email" required className={field} /></div>
        <div><label htmlFor="inv-kind" className="block text-sm font-medium text-slate-700">Kind</label>
          <select id="inv-kind" name="kind" className={field}><option value="MEMBER">Member</option><option value="CLIENT">Client user</option></select></div>
        <div><label htmlFor="inv-role" className="block text-sm font-medium text-slate-700">Role</label>
          <select id="inv-role" name="role" className={field} defaultValue="worker">
            <option value="">Default for the kind</option>
            {roles.map((r) => <option key={r.slug} value={r.slug}>{r.title}</option>)}
          </select></div>
        <div className="sm:col-span-2"><label htmlFor="inv-unit" className="block text-sm font-medium text-slate-700">Unit (optional)</label>
          <select id="inv-unit" name="unitId" className={field} defaultValue="">
            <option value="">No unit yet</option>
            {units.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.kind.toLowerCase()})</option>)}
          </select></div>
        <div className="sm:col-span-2"><label htmlFor="inv-message" className="block text-sm font-medium text-slate-700">Message (optional)</label>
          <input id="inv-message" name="message" maxLength={2000} className={field} /></div>
      </div>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="sendEmail" defaultChecked /> Send the invitation email</label>
        <button type="submit" disabled={create.isPending} data-testid="invite-submit" className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white hover:bg-brand-dark disabled:opacity-60">
          {create.isPending ? "Inviting…" : "Invite"}
        </button>
      </div>
      {notice && (
        <div role={notice.ok ? "status" : "alert"} data-testid="invite-notice" className={`mt-3 rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>
          {notice.text}
          {notice.url && <input readOnly value={notice.url} aria-label="Invitation link" data-testid="invite-url" className="mt-2 block w-full rounded border border-green-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />}
        </div>
      )}
    </form>
  );
}
