import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcCode, trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { displayName } from "../../format.ts";
import { AccessMatrix } from "./access-matrix.tsx";

export const metadata: Metadata = { title: "Units & permissions" };

type Props = { params: Promise<{ tenant: string; id: string }> };

// One access read per unit; tenants with more units than this page shows use the units page and REST.
const MAX_UNITS = 60;

/** A member's units × permissions: effective values with their source, editable where the caller may grant. */
export default async function MemberAccessPage({ params }: Props) {
  const { tenant, id } = await params;
  if (!/^[1-9][0-9]{0,9}$/.test(id)) notFound();
  // The route's id is the membership id, as on the member detail page; access is keyed by the person's user id.
  const membershipId = Number(id);
  let units, grants, member: Awaited<ReturnType<typeof api.members.get>>;
  try {
    member = await api.members.get({ tenant, id: membershipId });
    units = (await api.units.list({ tenant })).slice(0, MAX_UNITS);
    grants = await Promise.all(units.map((u) => api.access.get({ tenant, unitId: u.id, userId: member!.userId })));
  } catch (e) {
    if (trpcCode(e) === "NOT_FOUND") notFound();
    return <section><PageHeader title="Units & permissions" /><p role="alert" data-testid="access-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p></section>;
  }
  const name = displayName(member);
  return (
    <section>
      {/* Whose access this is, in the heading: the email too, since two people can share a name. */}
      <PageHeader title={`${name}: units & permissions`}
        description={`${name === member.email ? "" : `${member.email} · `}Effective values at every unit and where each comes from. Changes are saved together with "Save changes". You can change only what you hold yourself.`}
        actions={<Link href={`/t/${tenant}/members/${membershipId}`} className="text-sm text-brand underline">Back to member</Link>} />
      <AccessMatrix tenant={tenant} userId={member.userId} memberName={name} units={units.map((u) => ({ id: u.id, name: u.name, kind: u.kind }))} grants={grants} />
    </section>
  );
}
