"use client";
/** The tenant settings form, calling settings.update; read-only for viewers without settings.manage. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";

type Policy = "CLOSED" | "REQUEST" | "OPEN";
type Settings = { invitationTtlDays: number; joinPolicy: Policy; allowedLinkOrigins: string[]; requireTwoFactor: boolean; appOrigin: string; canManage: boolean };

const POLICIES: { value: Policy; label: string; hint: string }[] = [
  { value: "CLOSED", label: "Closed", hint: "Nobody can ask to join; people join by invitation only." },
  { value: "REQUEST", label: "On request", hint: "Signed-in people can ask to join from the join page; admins accept or deny." },
  { value: "OPEN", label: "Open sign-up", hint: "People without an account can also sign up on the join page to ask." },
];

const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand focus:ring-1 focus:ring-brand disabled:bg-slate-100";

export function SettingsForm({ tenant, initial }: { tenant: string; initial: Settings }) {
  const router = useRouter();
  const [ttl, setTtl] = useState(String(initial.invitationTtlDays));
  const [policy, setPolicy] = useState<Policy>(initial.joinPolicy);
  const [origins, setOrigins] = useState(initial.allowedLinkOrigins.join("\n"));
  const [require2fa, setRequire2fa] = useState(initial.requireTwoFactor);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const update = trpc.settings.update.useMutation({
    onSuccess: (s) => {
      setTtl(String(s.invitationTtlDays));
      setPolicy(s.joinPolicy);
      setOrigins(s.allowedLinkOrigins.join("\n"));
      setRequire2fa(s.requireTwoFactor);
      setNotice({ ok: true, text: "Settings saved." });
      router.refresh();
    },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });
  const disabled = !initial.canManage || update.isPending;
  const joinUrl = `${initial.appOrigin}/join/${tenant}`;

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setNotice(null);
    const list = origins.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean);
    update.mutate({ tenant, invitationTtlDays: Number(ttl), joinPolicy: policy, allowedLinkOrigins: list, requireTwoFactor: require2fa });
  }

  return (
    <form data-testid="settings-form" onSubmit={onSubmit} noValidate className="max-w-2xl space-y-6 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
      {notice && (
        <p role={notice.ok ? "status" : "alert"} data-testid="settings-notice"
          className={`rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>
      )}
      {!initial.canManage && <p className="text-sm text-slate-600">You can see these settings; changing them needs the “Manage tenant settings” permission.</p>}
      <div>
        <label htmlFor="ttl" className="block text-sm font-medium text-slate-700">Invitation lifetime (days)</label>
        <input id="ttl" name="invitationTtlDays" type="number" inputMode="numeric" min={1} max={30} step={1} required disabled={disabled}
          value={ttl} onChange={(e) => setTtl(e.target.value)} aria-describedby="ttl-hint" className={`${input} sm:w-32`} />
        <p id="ttl-hint" className="mt-1 text-xs text-slate-500">Between 1 and 30 days. Applies to invitations sent from now on.</p>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Join requests</legend>
        <div className="mt-2 space-y-2">
          {POLICIES.map((p) => (
            <label key={p.value} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 p-3 has-[:checked]:border-brand">
              <input type="radio" name="joinPolicy" value={p.value} checked={policy === p.value} disabled={disabled}
                onChange={() => setPolicy(p.value)} className="mt-1" />
              <span>
                <span className="block text-sm font-medium">{p.label}</span>
                <span className="block text-xs text-slate-600">{p.hint}</span>
              </span>
            </label>
          ))}
        </div>
        {policy !== "CLOSED" && <p className="mt-2 break-all text-xs text-slate-600">Join page: <span className="font-mono">{joinUrl}</span></p>}
      </fieldset>
      <div>
        <label className="flex cursor-pointer items-start gap-3">
          <input type="checkbox" name="requireTwoFactor" checked={require2fa} disabled={disabled} onChange={(e) => setRequire2fa(e.target.checked)}
            className="mt-1" data-testid="require-two-factor" aria-describedby="require-2fa-hint" />
          <span>
            <span className="block text-sm font-medium text-slate-700">Require two-factor authentication</span>
            <span id="require-2fa-hint" className="block text-xs text-slate-600">
              Members without it are asked to set it up at their next sign-in before they see anything of this tenant, and their API
              tokens stop working until they do. Turn it on for your own account first.
            </span>
          </span>
        </label>
      </div>
      <div>
        <label htmlFor="origins" className="block text-sm font-medium text-slate-700">Allowed link origins</label>
        <textarea id="origins" name="allowedLinkOrigins" rows={4} disabled={disabled} value={origins} onChange={(e) => setOrigins(e.target.value)}
          placeholder="https://partner.example" aria-describedby="origins-hint" className={`${input} font-mono`} />
        <p id="origins-hint" className="mt-1 text-xs text-slate-500">
          One per line, at most 20, like https://partner.example. Integrators may use these as <code>verificationBaseUrl</code>;
          this app&apos;s own address (<span className="font-mono">{initial.appOrigin}</span>) is always allowed.
        </p>
      </div>
      {initial.canManage && (
        <button type="submit" disabled={update.isPending} data-testid="settings-save"
          className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-dark focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2 disabled:opacity-60">
          {update.isPending ? "Saving…" : "Save settings"}
        </button>
      )}
    </form>
  );
}
