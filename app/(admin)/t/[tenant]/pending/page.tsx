import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { InviteForm } from "./invite-form.tsx";
import { PendingInbox } from "./pending-inbox.tsx";

export const metadata: Metadata = { title: "Pending" };

/** Invitations (members and client users) and join requests waiting for someone, in one inbox. */
export default async function PendingPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const current = await api.tenants.current({ tenant });
  const perms = new Set(current.me.permissions);
  const canInvite = perms.has("members.invite");
  const canRequests = perms.has("requests.manage");
  if (!canInvite && !canRequests) {
    return <section><PageHeader title="Pending" /><p role="alert" data-testid="pending-denied" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">Access denied.</p></section>;
  }
  let error: string | null = null;
  const [invitations, requests, options] = await Promise.all([
    canInvite ? api.invitations.listPending({ tenant, includeExpired: true }).then((r) => r.invitations).catch((e) => ((error = trpcMessage(e)), [])) : [],
    canRequests ? api.joinRequests.listPending({ tenant }).catch((e) => ((error = trpcMessage(e)), [])) : [],
    api.members.filterOptions({ tenant }),
  ]);
  return (
    <section>
      <PageHeader title="Pending" description="Invitations waiting to be accepted and requests to join. Expired invitations show as expired; invite the person again." />
      {error && <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p>}
      {canInvite && <InviteForm tenant={tenant} roles={options.roles} units={options.units} />}
      <PendingInbox
        tenant={tenant}
        tenantName={current.name}
        roles={options.roles}
        units={options.units.map((u) => ({ id: u.id, name: u.name }))}
        invitations={invitations.map((i) => ({
          id: i.id, kind: i.kind, status: i.status, email: i.email, phone: i.phone, roles: i.roles, ageDays: i.ageDays,
          expiresAt: i.expiresAt.toISOString(), sendCount: i.sendCount, invitedBy: i.invitedBy?.name ?? null,
          delivery: i.delivery ? { status: i.delivery.status, error: i.delivery.error, retrying: i.delivery.retrying } : null,
        }))}
        requests={requests.map((r) => ({
          id: r.id, email: r.user.email, name: [r.user.firstName, r.user.lastName].filter(Boolean).join(" ") || r.user.displayName,
          message: r.message, createdAt: r.createdAt.toISOString(),
        }))}
        canInvite={canInvite}
        canRequests={canRequests}
      />
    </section>
  );
}
