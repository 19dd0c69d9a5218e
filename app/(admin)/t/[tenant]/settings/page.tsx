import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { SettingsForm } from "./settings-form.tsx";

export const metadata: Metadata = { title: "Settings" };

type Props = { params: Promise<{ tenant: string }> };

/** Tenant settings: invitation lifetime, join policy and the origins allowed in invitation links. */
export default async function SettingsPage({ params }: Props) {
  const { tenant } = await params;
  let settings;
  try {
    settings = await api.settings.get({ tenant });
  } catch (e) {
    return (
      <section>
        <PageHeader title="Settings" />
        <p role="alert" data-testid="settings-denied" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p>
      </section>
    );
  }
  return (
    <section>
      <PageHeader title="Settings" description="Invitation lifetime, who may ask to join, and the origins integrators may use in invitation links." />
      <SettingsForm tenant={tenant} initial={settings} />
    </section>
  );
}
