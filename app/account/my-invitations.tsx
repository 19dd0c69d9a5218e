"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";
import { Alert, Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";

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
      {notice && (() => {
        const Box = notice.ok ? Notice : Alert;
        return (
          <Box tone={notice.ok ? "success" : "danger"} data-testid="my-invitations-notice" className="mt-3">
            {notice.text}
            {notice.tenant && (
              <>
                {" "}
                <Link href={`/t/${notice.tenant.slug}`} data-testid="my-invitation-tenant-link" className="font-medium underline underline-offset-2">
                  Open {notice.tenant.name}
                </Link>
              </>
            )}
          </Box>
        );
      })()}
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
                <p className="text-slate-600">
                  {inv.kind === "CLIENT" ? "Client" : "Member"}
                  {inv.roles.length > 0 && <> · {inv.roles.map((r) => r.title).join(", ")}</>}
                  {inv.inviterName && <> · invited by {inv.inviterName}</>}
                  {" · "}expires {fmt(inv.expiresAt)}
                </p>
                {inv.message && <p className="mt-1 whitespace-pre-line break-words text-slate-700">“{inv.message}”</p>}
              </div>
              <div className="flex shrink-0 gap-2 self-start">
                <Button size="sm" data-testid="my-invitation-accept" disabled={busy}
                  onClick={() => accept.mutate({ id: inv.id }, {
                    onSuccess: async (r) => {
                      // Preset units archived since the invitation was sent are skipped; say which, never silently.
                      const skipped = r.skippedUnits.length
                        ? ` Not included, archived since the invitation was sent: ${r.skippedUnits.map((u) => u.name).join(", ")}.`
                        : "";
                      setNotice({ ok: true, text: `You joined ${inv.tenant.name}.${skipped}`, tenant: { name: inv.tenant.name, slug: r.tenantSlug } });
                      await refresh();
                    },
                  })}>
                  Accept
                </Button>
                <ConfirmDialog
                  data-testid="my-invitation-decline-confirm"
                  title={`Decline the invitation to ${inv.tenant.name}?`}
                  description="The invitation cannot be used afterwards."
                  confirmLabel="Decline"
                  onConfirm={() =>
                    decline
                      .mutateAsync({ id: inv.id })
                      .then(async () => { setNotice({ ok: true, text: `Invitation to ${inv.tenant.name} declined.` }); await refresh(); })
                      .catch(() => {})
                  }
                  trigger={<Button variant="secondary" size="sm" data-testid="my-invitation-decline" disabled={busy}>Decline</Button>}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
