"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";

const fmt = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

type Notice = { ok: boolean; text: string; tenant?: { name: string; slug: string } };

/** The signed-in user's pending invitations from any tenant, with accept (then a link to the tenant) and decline. */
export function MyInvitations() {
  const utils = trpc.useUtils();
  const router = useRouter();
  const [data] = trpc.invitations.mine.useSuspenseQuery();
  const [notice, setNotice] = useState<Notice | null>(null);
  const refresh = async () => {
    await utils.invitations.mine.invalidate();
    // "Your tenants" is rendered on the server: refresh it after a new membership.
    router.refresh();
  };
  const accept = trpc.invitations.acceptMine.useMutation({
    onError: async (e) => { setNotice({ ok: false, text: e.message }); await utils.invitations.mine.invalidate(); },
  });
  const decline = trpc.invitations.declineMine.useMutation({
    onError: async (e) => { setNotice({ ok: false, text: e.message }); await utils.invitations.mine.invalidate(); },
  });
  const busy = accept.isPending || decline.isPending;

  return (
    <section aria-labelledby="invitations-h" data-testid="my-invitations" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="invitations-h" className="text-base font-semibold">Invitations</h2>
      {notice && (
        <p role="status" data-testid="my-invitations-notice" className={`mt-3 rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>
          {notice.text}
          {notice.tenant && (
            <>
              {" "}
              <Link href={`/t/${notice.tenant.slug}`} data-testid="my-invitation-tenant-link" className="font-medium underline underline-offset-2">
                Open {notice.tenant.name}
              </Link>
            </>
          )}
        </p>
      )}
      {!data.emailVerified ? (
        <p className="mt-2 text-sm text-slate-600">
          Your email address is not verified yet, so invitations sent to it are not listed here. Use the link in the invitation email to accept one.
        </p>
      ) : data.invitations.length === 0 ? (
        <p data-testid="my-invitations-empty" className="mt-2 text-sm text-slate-600">You have no pending invitations.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100">
          {data.invitations.map((inv) => (
            <li key={inv.id} data-testid="my-invitation" className="flex flex-col gap-2 py-3 text-sm sm:flex-row sm:items-start sm:justify-between">
              <div className="min-w-0">
                <p className="font-medium">{inv.tenant.name}</p>
                <p className="text-slate-500">
                  {inv.kind === "CLIENT" ? "Client" : "Member"}
                  {inv.roles.length > 0 && <> · {inv.roles.map((r) => r.title).join(", ")}</>}
                  {inv.inviterName && <> · invited by {inv.inviterName}</>}
                  {" · "}expires {fmt(inv.expiresAt)}
                </p>
                {inv.message && <p className="mt-1 whitespace-pre-line break-words text-slate-700">“{inv.message}”</p>}
              </div>
              <div className="flex shrink-0 gap-2 self-start">
                <button type="button" data-testid="my-invitation-accept" disabled={busy}
                  onClick={() => accept.mutate({ id: inv.id }, {
                    onSuccess: async (r) => {
                      setNotice({ ok: true, text: `You joined ${inv.tenant.name}.`, tenant: { name: inv.tenant.name, slug: r.tenantSlug } });
                      await refresh();
                    },
                  })}
                  className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark disabled:opacity-50">
                  Accept
                </button>
                <button type="button" data-testid="my-invitation-decline" disabled={busy}
                  onClick={() => {
                    if (!confirm(`Decline the invitation to ${inv.tenant.name}? The invitation cannot be used afterwards.`)) return;
                    decline.mutate({ id: inv.id }, {
                      onSuccess: async () => { setNotice({ ok: true, text: `Invitation to ${inv.tenant.name} declined.` }); await refresh(); },
                    });
                  }}
                  className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">
                  Decline
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
