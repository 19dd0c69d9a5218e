import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { UnitsManager } from "./units-manager.tsx";

export const metadata: Metadata = { title: "Units" };

type Props = { params: Promise<{ tenant: string }> };

/** Units of the tenant: list, create, rename, archive/restore, and who has access to each. */
export default async function UnitsPage({ params }: Props) {
  const { tenant } = await params;
  const current = await api.tenants.current({ tenant });
  const permissions = new Set(current.me.permissions);
  let units;
  try {
    units = await api.units.list({ tenant, includeArchived: true });
  } catch (e) {
    return (
      <section>
        <PageHeader title="Units" />
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p>
      </section>
    );
  }
  return (
    <section>
      <PageHeader title="Units" description="Locations, subsidiaries and projects, and who has access to each." />
      <UnitsManager tenant={current.slug} units={units} canManage={permissions.has("units.manage")} />
    </section>
  );
}
