import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcCode, trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { displayName, fmtDateTime } from "../format.ts";
import { MemberActions, ProfileForm, RolesForm } from "./member-forms.tsx";

export const metadata: Metadata = { title: "Member" };

type Props = { params: Promise<{ tenant: string; id: string }> };

const card = "rounded-xl border border-slate-200 bg-white p-5";

export default async function MemberPage({ params }: Props) {
  const { tenant: slug, id: rawId } = await params;
  const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : 0;
  if (!id) notFound();
  let m, tenantName: string;
  try {
    [m, { name: tenantName }] = await Promise.all([api.members.get({ tenant: slug, id }), api.tenants.current({ tenant: slug })]);
  } catch (e) {
    if (trpcCode(e) === "NOT_FOUND") notFound();
    return (
      <section>
        <PageHeader title="Member" />
        <p role="alert" data-testid="member-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p>
      </section>
    );
  }
  const v = m.viewer;
  return (
    <section data-testid="member-detail" className="space-y-6">
      <p className="text-sm"><Link href={`/t/${slug}/members`} className="text-brand underline-offset-2 hover:underline">← All members</Link></p>
      <PageHeader
        title={displayName(m)}
        description={`${m.email}${m.kind === "CLIENT" ? " · client user" : ""}`}
        actions={
          <Link href={`/t/${slug}/members/${m.id}/access`} data-testid="member-access-link"
            className="self-start rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
            Units &amp; permissions
          </Link>
        }
      />

      <section aria-labelledby="status-h" className={card}>
        <h2 id="status-h" className="text-base font-semibold">Status</h2>
        <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
          <div><dt className="text-slate-600">Status</dt><dd data-testid="member-status">{m.status === "ACTIVE" ? "Active" : "Suspended"}</dd></div>
          <div><dt className="text-slate-600">Last login</dt><dd data-testid="member-last-login">{fmtDateTime(m.lastLoginAt)}</dd></div>
          <div><dt className="text-slate-600">Email verified</dt><dd>{m.verified ? "Yes" : "No"}</dd></div>
          <div><dt className="text-slate-600">Member since</dt><dd>{m.createdAt.toISOString().slice(0, 10)}</dd></div>
        </dl>
        {(v.canSuspend || v.canRemove || v.isSelf) && (
          <div className="mt-4">
            <MemberActions slug={slug} id={m.id} email={m.email} name={displayName(m)} tenantName={tenantName} status={m.status} canSuspend={v.canSuspend} canRemove={v.canRemove} isSelf={v.isSelf} />
          </div>
        )}
      </section>

      <section aria-labelledby="profile-h" className={card}>
        <h2 id="profile-h" className="mb-3 text-base font-semibold">Profile</h2>
        {v.canEditProfile ? (
          <ProfileForm slug={slug} id={m.id} profile={{ firstName: m.firstName, lastName: m.lastName, displayName: m.displayName, phone: m.phone, language: m.language }} />
        ) : (
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            <div><dt className="text-slate-600">Name</dt><dd>{[m.firstName, m.lastName].filter(Boolean).join(" ") || "—"}</dd></div>
            <div><dt className="text-slate-600">Display name</dt><dd>{m.displayName ?? "—"}</dd></div>
            <div><dt className="text-slate-600">Phone</dt><dd>{m.phone ?? "—"}</dd></div>
            <div><dt className="text-slate-600">Language</dt><dd>{m.language}</dd></div>
          </dl>
        )}
      </section>

      <section aria-labelledby="roles-h" className={card}>
        <h2 id="roles-h" className="mb-3 text-base font-semibold">Tenant roles</h2>
        {v.canChangeRoles ? (
          <RolesForm slug={slug} id={m.id} roles={m.roles} hasFullAccess={m.hasFullAccess} options={v.roleOptions} canGrantFullAccess={v.canGrantFullAccess} />
        ) : (
          <p className="text-sm" data-testid="member-roles">{m.roles.join(", ") || "—"}{m.hasFullAccess ? " · full access" : ""}</p>
        )}
      </section>

      <section aria-labelledby="units-h" className={card}>
        <div className="mb-3 flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
          <h2 id="units-h" className="text-base font-semibold">Units</h2>
          <Link href={`/t/${slug}/members/${m.id}/access`} className="text-sm text-brand underline-offset-2 hover:underline">Units &amp; permissions</Link>
        </div>
        {m.units.length === 0 ? (
          <p className="text-sm text-slate-600">{m.hasFullAccess ? "Full access: every unit." : "No unit access."}</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {m.units.map((u) => (
              <li key={u.unitId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className="font-medium">{u.name} <span className="text-xs font-normal text-slate-600">{u.kind.toLowerCase()}{u.archived ? " · archived" : ""}</span></span>
                <span className="text-slate-600">{u.role}{u.status === "INVITED" ? " · invited" : ""}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
