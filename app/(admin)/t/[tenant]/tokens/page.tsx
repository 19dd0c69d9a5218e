import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { SYSTEM_PERMISSIONS } from "@/server/authz/catalog.ts";
import { trpcMessage } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { TokensManager } from "./tokens-manager.tsx";

export const metadata: Metadata = { title: "API tokens" };

type Props = { params: Promise<{ tenant: string }> };

/** API tokens: partner (integration) tokens and personal tokens; create (raw value shown once) and revoke. */
export default async function TokensPage({ params }: Props) {
  const { tenant } = await params;
  const current = await api.tenants.current({ tenant });
  const held = new Set(current.me.permissions);
  const header = <PageHeader title="API tokens" description="Integration keys for partners and personal tokens, with their scopes. A token never carries more than its creator holds." />;
  let tokens;
  try {
    tokens = await api.tokens.list({ tenant });
  } catch (e) {
    return (
      <section>
        {header}
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{trpcMessage(e)}</p>
      </section>
    );
  }
  // Only scopes the viewer holds are offered: the service drops any others anyway.
  const scopes = SYSTEM_PERMISSIONS.filter((p) => held.has(p.slug)).map((p) => ({ slug: p.slug, title: p.title }));
  return (
    <section>
      {header}
      <TokensManager tenant={current.slug} tokens={tokens} scopes={scopes} canManage={held.has("tokens.manage")} myUserId={current.me.userId} />
    </section>
  );
}
