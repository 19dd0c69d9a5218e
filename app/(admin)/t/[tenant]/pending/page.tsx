import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { InviteEmailsForm } from "./invite-emails-form.tsx";
import { InviteForm } from "./invite-form.tsx";
import { PendingInbox, type PendingTab } from "./pending-inbox.tsx";

export const metadata: Metadata = { title: "Pending" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const TABS: { key: PendingTab; label: string }[] = [
  { key: "invitations", label: "Invitations" },
  { key: "clients", label: "Client invitations" },
  { key: "requests", label: "Requests" },
];

/**
 * Invitations (members and client users) and join requests waiting for someone, one tab each with its count. The tab
 * lives in the URL (`?tab=requests`) as a link, so it survives a reload, can be shared, and the browser's back button
 * walks through it. The chosen tab has aria-current="true", not "page": the menu's Pending is the page, the tab a view
 * of it; the server renders only the chosen panel. A tab the caller may not see, or
 * an unknown one, falls back to the first the caller may see.
 */
export default async function PendingPage({ params, searchParams }: Props) {
  const { tenant } = await params;
  const wanted = (await searchParams).tab;
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
  const visible = TABS.filter((t) => (t.key === "requests" ? canRequests : canInvite));
  const tab = visible.find((t) => t.key === wanted)?.key ?? visible[0]!.key;
  const counts: Record<PendingTab, number> = {
    invitations: invitations.filter((i) => i.kind === "MEMBER").length,
    clients: invitations.filter((i) => i.kind === "CLIENT").length,
    requests: requests.length,
  };
  return (
    <section>
      <PageHeader title="Pending" description="Invitations waiting to be accepted and requests to join. Expired invitations show as expired; invite the person again." />
      {error && <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p>}
      {/* Pills that wrap rather than an underlined strip: three labels with counts do not fit one line on a phone. */}
      <nav aria-label="Pending" className="mb-6">
        <ul className="flex flex-wrap gap-2" data-testid="pending-tabs">
          {visible.map((t) => (
            <li key={t.key}>
              <Link
                href={`/t/${tenant}/pending?tab=${t.key}`}
                aria-current={t.key === tab ? "true" : undefined}
                data-testid={`pending-tab-${t.key}`}
                className={`inline-flex items-center gap-2 rounded-full border px-3 py-1.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-1 ${
                  t.key === tab ? "border-brand bg-brand text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
                }`}
              >
                {t.label}
                <span className={`rounded-full px-2 py-0.5 text-xs ${t.key === tab ? "bg-white/20 text-white" : "bg-slate-100 text-slate-700"}`} data-testid="pending-tab-count">
                  {counts[t.key]}<span className="sr-only"> {counts[t.key] === 1 ? "item" : "items"}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {/* No landmark of its own: the sections inside are named regions (the list is named after the tab already). */}
      <div data-testid="pending-panel" data-tab={tab}>
        {tab !== "requests" && (
          <>
            <InviteForm key={`one-${tab}`} tenant={tenant} roles={options.roles} units={options.units} kind={tab === "clients" ? "CLIENT" : "MEMBER"} />
            <InviteEmailsForm key={`many-${tab}`} tenant={tenant} roles={options.roles} units={options.units} kind={tab === "clients" ? "CLIENT" : "MEMBER"} />
          </>
        )}
        {/* Keyed by tab: a selection made in one tab must never ride along, unseen, into another tab's bulk action. */}
        <PendingInbox
          key={tab}
          tab={tab}
          tenant={tenant}
          tenantName={current.name}
          roles={options.roles}
          units={options.units}
          invitations={invitations.map((i) => ({
            id: i.id, kind: i.kind, status: i.status, email: i.email, phone: i.phone, roles: i.roles, ageDays: i.ageDays,
            expiresAt: i.expiresAt.toISOString(), sendCount: i.sendCount, invitedBy: i.invitedBy?.name ?? null,
            delivery: i.delivery ? { status: i.delivery.status, error: i.delivery.error, retrying: i.delivery.retrying } : null,
          }))}
          requests={requests.map((r) => ({
            id: r.id, email: r.user.email, name: [r.user.firstName, r.user.lastName].filter(Boolean).join(" ") || r.user.displayName,
            message: r.message, createdAt: r.createdAt.toISOString(),
          }))}
        />
      </div>
    </section>
  );
}
