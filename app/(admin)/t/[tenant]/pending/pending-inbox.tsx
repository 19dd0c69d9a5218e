"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { ScrollTable } from "@/app/_components/ui/scroll-table.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { UnitPicker } from "./unit-picker.tsx";

/** The pending page's tabs, as they appear in its URL (`?tab=`). */
export type PendingTab = "invitations" | "clients" | "requests";

type Invitation = {
  id: number; kind: "MEMBER" | "CLIENT"; status: string; email: string | null; phone: string | null; roles: string[]; ageDays: number;
  expiresAt: string; sendCount: number; invitedBy: string | null; delivery: { status: string; error: string | null; retrying: boolean } | null;
};
type Request = { id: number; email: string; name: string | null; message: string | null; createdAt: string };
type Props = {
  tab: PendingTab; tenant: string; tenantName: string; roles: { slug: string; title: string }[]; units: { id: number; name: string; kind: string }[];
  invitations: Invitation[]; requests: Request[];
};

function deliveryText(d: Invitation["delivery"]): string {
  if (!d) return "not sent (link handed over)";
  if (d.status === "failed") return d.retrying ? `failed to send, retrying (${d.error ?? "error"})` : `failed to send: ${d.error ?? "error"} — resend`;
  return d.status;
}

/** "a@x.test, b@x.test and 3 more": who a bulk confirmation is about, short enough to read. */
function listOf(names: string[], shown = 5): string {
  const head = names.slice(0, shown);
  if (names.length > shown) return `${head.join(", ")} and ${names.length - shown} more`;
  return head.length > 1 ? `${head.slice(0, -1).join(", ")} and ${head.at(-1)}` : (head[0] ?? "");
}
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One tab of the admin's inbox: select rows, then resend/cancel invitations or accept/deny requests in bulk; each row reports its own result. */
export function PendingInbox({ tab, tenant, tenantName, roles, units, invitations, requests }: Props) {
  const router = useRouter();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [role, setRole] = useState("worker");
  const [unitIds, setUnitIds] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const resend = trpc.invitations.resend.useMutation();
  const cancel = trpc.invitations.cancel.useMutation();
  const accept = trpc.joinRequests.accept.useMutation();
  const deny = trpc.joinRequests.deny.useMutation();

  const toggle = (key: string) => setPicked((p) => { const n = new Set(p); if (n.has(key)) n.delete(key); else n.add(key); return n; });
  const chosen = (prefix: "inv" | "req") => [...picked].filter((k) => k.startsWith(prefix + ":")).map((k) => Number(k.split(":")[1]));

  async function run(label: string, ids: number[], fn: (id: number) => Promise<unknown>) {
    if (ids.length === 0) return;
    setBusy(true);
    const failures: string[] = [];
    for (const id of ids) {
      try { await fn(id); } catch (e) { failures.push(`#${id}: ${(e as Error).message}`); }
    }
    setBusy(false);
    setPicked(new Set());
    setNotice(failures.length ? { ok: false, text: `${label}: ${ids.length - failures.length} done, ${failures.length} failed. ${failures.join("; ")}` } : { ok: true, text: `${label}: ${ids.length} done.` });
    router.refresh();
  }

  const section = (title: string, rows: Invitation[], testid: string) => (
    <section className="mb-8" aria-label={title}>
      <h2 className="mb-2 text-base font-semibold">{title} <span className="text-sm font-normal text-slate-600">({rows.length})</span></h2>
      {rows.length === 0 ? <p className="rounded-xl border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">None.</p> : (
        // Eight columns cannot fit a phone: the table scrolls sideways in its frame, which says so.
        <ScrollTable label={`${title} table`}>
          <table className="min-w-full text-left text-sm" data-testid={testid}>
            <thead className="bg-slate-50 text-slate-600"><tr className="whitespace-nowrap">
              <th scope="col" className="w-8 px-3 py-2"><span className="sr-only">Select</span></th><th scope="col" className="px-3 py-2">Recipient</th><th scope="col" className="px-3 py-2">Roles</th>
              <th scope="col" className="px-3 py-2">Status</th><th scope="col" className="px-3 py-2">Age</th><th scope="col" className="px-3 py-2">Expires</th><th scope="col" className="px-3 py-2">Sent</th><th scope="col" className="px-3 py-2">Delivery</th>
            </tr></thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.id} className="border-t border-slate-100" data-testid="pending-invitation">
                  <td className="px-3 py-2"><input type="checkbox" aria-label={`Select invitation for ${i.email ?? i.phone}`} checked={picked.has(`inv:${i.id}`)} onChange={() => toggle(`inv:${i.id}`)} /></td>
                  <td className="px-3 py-2">{i.email ?? i.phone}{i.invitedBy && <div className="text-xs text-slate-600">by {i.invitedBy}</div>}</td>
                  <td className="px-3 py-2">{i.roles.join(", ") || "default"}</td>
                  <td className="px-3 py-2"><span className={i.status === "EXPIRED" ? "text-amber-700" : ""}>{i.status.toLowerCase()}</span></td>
                  <td className="px-3 py-2 whitespace-nowrap">{i.ageDays} d</td>
                  <td className="px-3 py-2 whitespace-nowrap">{i.expiresAt.slice(0, 10)}</td>
                  <td className="px-3 py-2">{i.sendCount}×</td>
                  <td className={`px-3 py-2 ${i.delivery?.status === "failed" ? "text-red-700" : ""}`}>{deliveryText(i.delivery)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </section>
  );

  const invIds = chosen("inv");
  const reqIds = chosen("req");
  return (
    <div>
      {notice && <p role={notice.ok ? "status" : "alert"} data-testid="pending-notice" className={`mb-4 rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>}
      {tab !== "requests" && (
        <>
          <div className="mb-3 flex flex-wrap gap-2">
            <button type="button" disabled={busy || invIds.length === 0} data-testid="bulk-resend"
              onClick={() => run("Resend", invIds, (id) => resend.mutateAsync({ tenant, ref: { id } }))}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50">Resend selected</button>
            <ConfirmDialog
              data-testid="bulk-cancel-dialog"
              title={`Cancel ${plural(invIds.length, "invitation", "invitations")} to ${tenantName}?`}
              description={`${listOf(invitations.filter((i) => invIds.includes(i.id)).map((i) => i.email ?? i.phone ?? `#${i.id}`))}: ${invIds.length === 1 ? "the link stops" : "their links stop"} working at once. To let them join later, invite them again.`}
              confirmLabel="Cancel invitations"
              cancelLabel="Keep them"
              confirmTestId="confirm-bulk-cancel"
              onConfirm={() => run("Cancel", invIds, (id) => cancel.mutateAsync({ tenant, ref: { id } }))}
              trigger={<Button variant="danger-outline" size="sm" disabled={busy || invIds.length === 0} data-testid="bulk-cancel">Cancel selected</Button>}
            />
          </div>
          {tab === "invitations"
            ? section("Invitations", invitations.filter((i) => i.kind === "MEMBER"), "pending-invites")
            : section("Client invitations", invitations.filter((i) => i.kind === "CLIENT"), "pending-client-invites")}
        </>
      )}
      {tab === "requests" && (
        <section aria-label="Join requests">
          <h2 className="mb-2 text-base font-semibold">Join requests <span className="text-sm font-normal text-slate-600">({requests.length})</span></h2>
          <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
            {requests.length === 0 ? <p className="rounded-xl border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">None.</p> : (
              <ul className="self-start divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" data-testid="pending-requests">
                {requests.map((r) => (
                  <li key={r.id} className="flex gap-3 px-3 py-2 text-sm" data-testid="pending-request">
                    <input type="checkbox" aria-label={`Select request from ${r.email}`} checked={picked.has(`req:${r.id}`)} onChange={() => toggle(`req:${r.id}`)} />
                    <div className="min-w-0 break-words"><p className="font-medium">{r.name ?? r.email} <span className="font-normal text-slate-600">{r.name ? r.email : ""}</span></p>
                      {r.message && <p className="text-slate-600">“{r.message}”</p>}
                      <p className="text-xs text-slate-600">asked {r.createdAt.slice(0, 10)}</p></div>
                  </li>
                ))}
              </ul>
            )}
            <div className="min-w-0 space-y-3 self-start rounded-xl border border-slate-200 bg-white p-3">
              <label className="block text-sm">Accept as <select value={role} onChange={(e) => setRole(e.target.value)} className="ml-1 rounded border border-slate-300 px-2 py-1">
                {roles.map((r) => <option key={r.slug} value={r.slug}>{r.title}</option>)}</select></label>
              <UnitPicker units={units} chosen={unitIds} onChange={setUnitIds} label="At units (optional)" />
              <div className="flex flex-wrap gap-2">
                <button type="button" disabled={busy || reqIds.length === 0} data-testid="bulk-accept"
                  onClick={() => run("Accept", reqIds, (id) => accept.mutateAsync({ tenant, id, role, unitIds }))}
                  className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50">Accept selected</button>
                <ConfirmDialog
                  data-testid="bulk-deny-dialog"
                  title={`Deny ${plural(reqIds.length, "request", "requests")} to join ${tenantName}?`}
                  description={`${listOf(requests.filter((r) => reqIds.includes(r.id)).map((r) => (r.name ? `${r.name} (${r.email})` : r.email)))} will not join. They can ask again later.`}
                  confirmLabel="Deny requests"
                  confirmTestId="confirm-bulk-deny"
                  onConfirm={() => run("Deny", reqIds, (id) => deny.mutateAsync({ tenant, id }))}
                  trigger={<Button variant="danger-outline" size="sm" disabled={busy || reqIds.length === 0} data-testid="bulk-deny">Deny selected</Button>}
                />
              </div>
            </div>
          </div>
        </section>
      )}
    </div>
  );
}
