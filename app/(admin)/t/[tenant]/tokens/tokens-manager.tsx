"use client";
/** The tokens table with a create form (raw token shown once) and revoke confirmed in a dialog. */
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { ScrollTable } from "@/app/_components/ui/scroll-table.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { fmtDateTime } from "../members/format.ts";
import { Notice, type NoticeState } from "../members/notice.tsx";

type Token = {
  id: number; name: string; kind: "PARTNER" | "PERSONAL"; prefix: string; scopes: string[];
  createdBy: { id: number; email: string } | null; owner: { id: number; email: string } | null;
  createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null; userTokenCount: number;
};
type Scope = { slug: string; title: string };
type Props = { tenant: string; tokens: Token[]; scopes: Scope[]; canManage: boolean; myUserId: number | null };

const field = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm focus:outline-2 focus:outline-brand";
const button = "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand disabled:opacity-50";

function statusOf(t: Token, now: number): { text: string; tone: string } {
  if (t.revokedAt) return { text: `Revoked ${fmtDateTime(t.revokedAt)}`, tone: "text-red-700" };
  if (t.expiresAt && t.expiresAt.getTime() <= now) return { text: `Expired ${fmtDateTime(t.expiresAt)}`, tone: "text-amber-700" };
  return { text: t.expiresAt ? `Expires ${fmtDateTime(t.expiresAt)}` : "No expiry", tone: "text-green-700" };
}

export function TokensManager({ tenant, tokens, scopes, canManage, myUserId }: Props) {
  const router = useRouter();
  const [notice, setNotice] = useState<NoticeState>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const fail = (e: { message: string }) => setNotice({ ok: false, text: e.message });
  const revoke = trpc.tokens.revoke.useMutation({
    onSuccess: (r) => {
      setNotice({ ok: true, text: r.revokedUserTokens > 0 ? `Token revoked, with ${r.revokedUserTokens} user token(s) issued under it.` : "Token revoked." });
      router.refresh();
    },
    onError: fail,
  });
  const now = Date.now();

  return (
    <div className="space-y-4">
      <Notice notice={notice} testId="tokens-notice" />
      {created && <NewTokenValue {...created} onDone={() => setCreated(null)} />}
      <CreateTokenForm tenant={tenant} scopes={scopes} canManage={canManage}
        onCreated={(name, token) => { setCreated({ name, token }); setNotice({ ok: true, text: `Created ${name}.` }); router.refresh(); }}
        onError={fail} />
      {/* Hiding columns on phones left Created and Last used unreachable there: every column stays and the table scrolls sideways. */}
      <ScrollTable label="API tokens table">
        <table className="w-full text-left text-sm" data-testid="tokens-table">
          <caption className="sr-only">API tokens</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr className="whitespace-nowrap">
              <th scope="col" className="px-3 py-2 font-medium">Token</th>
              <th scope="col" className="px-3 py-2 font-medium">Scopes</th>
              <th scope="col" className="px-3 py-2 font-medium">Created</th>
              <th scope="col" className="px-3 py-2 font-medium">Last used</th>
              <th scope="col" className="px-3 py-2 font-medium">Status</th>
              <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.length === 0 && <tr><td colSpan={6} className="px-3 py-4 text-slate-600">No tokens yet.</td></tr>}
            {tokens.map((t) => {
              const status = statusOf(t, now);
              const mayRevoke = !t.revokedAt && (canManage || (t.kind === "PERSONAL" && t.owner?.id === myUserId));
              return (
                <tr key={t.id} data-testid="token-row" className="align-top">
                  <td className="px-3 py-2">
                    <div className="font-medium text-slate-900">{t.name}</div>
                    <div className="text-slate-600">
                      <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase">{t.kind === "PARTNER" ? "partner" : "personal"}</span>{" "}
                      <code className="text-xs">{t.prefix}…</code>
                    </div>
                    <div className="text-xs text-slate-600">
                      {t.kind === "PERSONAL" && t.owner ? `for ${t.owner.email}` : `by ${t.createdBy?.email ?? "system"}`}
                      {t.kind === "PARTNER" && ` · ${t.userTokenCount} live user token${t.userTokenCount === 1 ? "" : "s"}`}
                    </div>
                  </td>
                  <td className="min-w-[12rem] px-3 py-2 text-xs text-slate-600">{t.scopes.length ? t.scopes.join(", ") : "none"}</td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-600">{fmtDateTime(t.createdAt)}</td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-600">{fmtDateTime(t.lastUsedAt)}</td>
                  <td className={`px-3 py-2 whitespace-nowrap ${status.tone}`}>{status.text}</td>
                  <td className="px-3 py-2 text-right">
                    {mayRevoke && (
                      <ConfirmDialog
                        data-testid="revoke-token-dialog"
                        title={`Revoke ${t.name}?`}
                        description={`${t.kind === "PARTNER" ? `This partner token (${t.prefix}…) and the ${t.userTokenCount} live user token${t.userTokenCount === 1 ? "" : "s"} issued under it` : `This personal token (${t.prefix}…)${t.owner ? ` of ${t.owner.email}` : ""}`} stop working at once, for good: every request made with ${t.kind === "PARTNER" ? "them" : "it"} is refused from then on.`}
                        confirmLabel="Revoke token"
                        confirmTestId="confirm-revoke"
                        onConfirm={() => { setNotice(null); return revoke.mutateAsync({ tenant, id: t.id }).catch(() => {}); }}
                        trigger={<Button variant="danger-outline" size="sm" data-testid="revoke-token" aria-label={`Revoke ${t.name}`}>Revoke</Button>}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
    </div>
  );
}

function NewTokenValue({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-xl border border-amber-300 bg-amber-50 p-4" role="region" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="font-semibold text-amber-900">Copy the token for {name} now</h2>
      <p className="mt-1 text-sm text-amber-900">It is shown only once. Only its hash is stored, so it cannot be shown again.</p>
      <div className="mt-2 flex flex-col gap-2 sm:flex-row">
        <label htmlFor={`${id}-value`} className="sr-only">New token</label>
        <input id={`${id}-value`} readOnly value={token} data-testid="new-token-value" onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-2 py-1.5 font-mono text-xs" />
        <div className="flex gap-2">
          <button type="button" className={`${button} bg-brand text-white`}
            onClick={() => { void navigator.clipboard?.writeText(token).then(() => setCopied(true), () => setCopied(false)); }}>
            {copied ? "Copied" : "Copy"}
          </button>
          <button type="button" className={`${button} border border-amber-300 hover:bg-amber-100`} onClick={onDone}>Done</button>
        </div>
      </div>
    </div>
  );
}

function CreateTokenForm({ tenant, scopes, canManage, onCreated, onError }: {
  tenant: string; scopes: Scope[]; canManage: boolean; onCreated: (name: string, token: string) => void; onError: (e: { message: string }) => void;
}) {
  const id = useId();
  const [kind, setKind] = useState<"partner" | "personal">(canManage ? "partner" : "personal");
  const [name, setName] = useState("");
  const [picked, setPicked] = useState<Set<string>>(() => new Set(scopes.map((s) => s.slug)));
  const [days, setDays] = useState("90");
  const create = trpc.tokens.create.useMutation({
    onSuccess: (r) => { setName(""); onCreated(r.apiToken.name, r.token); },
    onError,
  });
  const toggle = (slug: string) => setPicked((prev) => { const next = new Set(prev); if (next.has(slug)) next.delete(slug); else next.add(slug); return next; });

  return (
    <form className="space-y-3 rounded-xl border border-slate-200 bg-white p-4" aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        const expiresInDays = days.trim() === "" ? undefined : Number(days);
        create.mutate({ tenant, kind, name, scopes: [...picked], ...(expiresInDays !== undefined ? { expiresInDays } : {}) });
      }}>
      <h2 id={`${id}-title`} className="font-semibold text-slate-900">New token</h2>
      <div className="grid gap-3 sm:grid-cols-3">
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Kind</legend>
          <div className="mt-1 flex gap-3 text-sm">
            <label className="flex items-center gap-1">
              <input type="radio" name={`${id}-kind`} value="partner" checked={kind === "partner"} disabled={!canManage} onChange={() => setKind("partner")} />
              Partner
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name={`${id}-kind`} value="personal" checked={kind === "personal"} onChange={() => setKind("personal")} />
              Personal
            </label>
          </div>
          {!canManage && <p className="mt-1 text-xs text-slate-600">Partner tokens need the tokens.manage permission.</p>}
        </fieldset>
        <label className="text-sm font-medium text-slate-700">Name
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} data-testid="token-name" className={field} />
        </label>
        <label className="text-sm font-medium text-slate-700">Expires after (days)
          <input type="number" min={1} max={3650} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)}
            aria-describedby={`${id}-days-help`} data-testid="token-expiry" className={field} />
          <span id={`${id}-days-help`} className="mt-1 block text-xs font-normal text-slate-600">Leave empty for a token that never expires.</span>
        </label>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Scopes</legend>
        {scopes.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">You hold no console permissions, so the token will carry no scopes.</p>
        ) : (
          <div className="mt-1 grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
            {scopes.map((s) => (
              <label key={s.slug} className="flex items-start gap-2 text-sm">
                <input type="checkbox" className="mt-0.5" checked={picked.has(s.slug)} onChange={() => toggle(s.slug)} value={s.slug} />
                <span>{s.title} <code className="text-xs text-slate-600">{s.slug}</code></span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <button type="submit" disabled={create.isPending} data-testid="create-token" className={`${button} bg-brand text-white`}>
        {create.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
