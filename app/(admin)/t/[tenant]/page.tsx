import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { api } from "@/app/_trpc/rsc.ts";

export default async function TenantOverview({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const current = await api.tenants.current({ tenant });
  return (
    <section>
      <PageHeader title={current.name} description="Who belongs to this tenant, where, and with which rights." />
      <dl className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-xl border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">Your roles</dt>
          <dd className="mt-1 font-medium" data-testid="my-roles">{current.me.roles.join(", ") || "none"}</dd>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">Unit access</dt>
          <dd className="mt-1 font-medium">{current.me.hasFullAccess ? "Every unit (full access)" : "Units you were granted"}</dd>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">Console permissions</dt>
          <dd className="mt-1 font-medium">{current.me.permissions.length}</dd>
        </div>
      </dl>
      <p className="mt-6 text-sm text-slate-600">
        Manage your own profile and sessions on your <Link href="/account" className="text-brand underline">account page</Link>.
      </p>
    </section>
  );
}
