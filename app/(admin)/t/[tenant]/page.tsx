import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { api } from "@/app/_trpc/rsc.ts";
import { fmtDateTime } from "./members/format.ts";
import { describeEvent } from "./audit/describe-event.ts";

const card = "block rounded-xl border border-slate-200 bg-white p-4 hover:border-brand focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand";
const shortcut = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand";

/** The tenant at a glance: the counts the viewer may read (each links to its page), recent activity, shortcuts. */
export default async function TenantOverview({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const [current, overview] = await Promise.all([api.tenants.current({ tenant }), api.tenants.overview({ tenant })]);
  const base = `/t/${tenant}`;
  const can = new Set(current.me.permissions);
  const counts = [
    { key: "active-members", label: "Active members", value: overview.counts.activeMembers, href: `${base}/members` },
    { key: "pending-invitations", label: "Pending invitations", value: overview.counts.pendingInvitations, href: `${base}/pending` },
    { key: "open-requests", label: "Open join requests", value: overview.counts.openRequests, href: `${base}/pending?tab=requests` },
    { key: "units", label: "Units", value: overview.counts.units, href: `${base}/units` },
  ].filter((c): c is typeof c & { value: number } => c.value !== null);
  const shortcuts = [
    can.has("members.invite") && { label: "Invite people", href: `${base}/pending` },
    can.has("members.read") && { label: "Members", href: `${base}/members` },
    can.has("members.read") && { label: "Roles", href: `${base}/roles` },
  ].filter((s): s is { label: string; href: string } => !!s);
  return (
    <section className="space-y-6">
      <PageHeader title={current.name} description={`You are signed in as ${current.me.roles.join(", ") || "a member"}.`} />
      {counts.length > 0 && (
        <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4" aria-label="Counts">
          {counts.map((c) => (
            <li key={c.key}>
              <Link href={c.href} className={card} data-testid={`count-${c.key}`}>
                <span className="block text-sm text-slate-600">{c.label}</span>
                <span className="mt-1 block text-2xl font-semibold text-slate-900">{c.value}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {shortcuts.length > 0 && (
        <nav aria-label="Shortcuts" className="flex flex-wrap gap-2">
          {shortcuts.map((s) => <Link key={s.label} href={s.href} className={shortcut}>{s.label}</Link>)}
        </nav>
      )}
      {overview.recent && (
        <section aria-labelledby="recent-activity" className="rounded-xl border border-slate-200 bg-white p-4">
          <div className="flex items-baseline justify-between gap-2">
            <h2 id="recent-activity" className="text-lg font-semibold text-slate-900">Recent activity</h2>
            <Link href={`${base}/audit`} className="text-sm text-brand underline-offset-2 hover:underline">Audit log</Link>
          </div>
          {overview.recent.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Nothing has happened yet.</p>
          ) : (
            <ol className="mt-2 divide-y divide-slate-100" data-testid="recent-events">
              {overview.recent.map((e) => (
                <li key={e.id} className="flex flex-col gap-0.5 py-2 text-sm sm:flex-row sm:justify-between sm:gap-4" data-testid="recent-event">
                  <span className="text-slate-900">{describeEvent(e)}</span>
                  <time dateTime={e.createdAt.toISOString()} className="shrink-0 text-slate-600">{fmtDateTime(e.createdAt)}</time>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
      <p className="text-sm text-slate-600">
        Your own profile and sessions are on your <Link href="/account" className="text-brand underline">account page</Link>.
      </p>
    </section>
  );
}
