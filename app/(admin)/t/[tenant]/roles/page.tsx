import type { Metadata } from "next";
import { formatRightValue } from "@/app/_components/right-value.ts";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { AddRightForm } from "./add-right-form.tsx";
import { CreateRoleForm } from "./create-role-form.tsx";
import { DefaultCell } from "./default-cell.tsx";
import { RolesNoticeProvider } from "./notice.tsx";
import { RoleControls } from "./role-controls.tsx";

export const metadata: Metadata = { title: "Roles" };

type Props = { params: Promise<{ tenant: string }> };

const SYMBOLS = { yes: "✓", no: "—", unlimited: "∞" };
/** The owner role is fixed (roles.update refuses it with 409), so its column stays read-only. */
const OWNER = "owner";

/** Roles × permissions: each role's default value of every right, grouped by category; custom roles. */
export default async function RolesPage({ params }: Props) {
  const { tenant } = await params;
  const current = await api.tenants.current({ tenant });
  let roles;
  try {
    roles = await api.roles.list({ tenant });
  } catch (e) {
    return <section><PageHeader title="Roles" /><p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p></section>;
  }
  const groups = roles[0]?.permissions ?? [];
  const canManage = current.me.permissions.includes("roles.manage");
  return (
    <section>
      <PageHeader title="Roles" description="Built-in and custom roles with their default permission values. The owner role is fixed." />
      {canManage && <CreateRoleForm tenant={current.slug} />}
      <RolesNoticeProvider>
      {canManage && <AddRightForm tenant={current.slug} categories={groups.map((g) => g.slug)} />}
      <div className="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm" data-testid="roles-grid">
          <thead className="bg-slate-50">
            <tr>
              <th className="px-3 py-2">Permission</th>
              {roles.map((r) => (
                <th key={r.slug} className="px-3 py-2 text-center" title={r.description}>
                  {r.title}<div className="text-xs font-normal text-slate-600">{r.slug} · {r.weight}{r.builtIn ? "" : " · custom"}</div>
                  {canManage && r.slug !== OWNER && <RoleControls tenant={current.slug} tenantName={current.name} role={{ slug: r.slug, title: r.title, weight: r.weight, builtIn: r.builtIn, usage: r.usage }} />}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => [
              <tr key={g.slug} className="bg-slate-50/60"><th colSpan={roles.length + 1} className="px-3 py-1 text-xs uppercase tracking-wide text-slate-600">{g.title}</th></tr>,
              ...g.children.map((p) => (
                <tr key={p.slug} className="border-t border-slate-100">
                  <td className="px-3 py-1" title={p.hint}>{p.title}<span className="ml-1 text-xs text-slate-600">{p.slug}</span></td>
                  {roles.map((r) => {
                    const cell = r.permissions?.find((x) => x.slug === g.slug)?.children.find((x) => x.slug === p.slug);
                    const v = cell?.defaultValue ?? null;
                    // Editable only with roles.manage, never for the owner, and only where the caller's own value reaches
                    // the role's (the server enforces the same ceiling on save).
                    if (canManage && r.slug !== OWNER && cell?.isEditable && p.rightType !== "GROUP") {
                      return (
                        <td key={r.slug} className="px-3 py-1 text-center">
                          <DefaultCell tenant={current.slug} roleSlug={r.slug} roleTitle={r.title} rightSlug={p.slug} rightTitle={p.title} type={p.rightType} value={v} />
                        </td>
                      );
                    }
                    return <td key={r.slug} className="px-3 py-1 text-center">{formatRightValue(p.rightType, v, SYMBOLS)}</td>;
                  })}
                </tr>
              )),
            ])}
          </tbody>
        </table>
      </div>
      </RolesNoticeProvider>
    </section>
  );
}
