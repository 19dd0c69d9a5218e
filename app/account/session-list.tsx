"use client";
import { trpc } from "@/app/_trpc/react.tsx";
import { useState } from "react";

const fmt = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function SessionList() {
  const utils = trpc.useUtils();
  const [sessions] = trpc.account.sessions.useSuspenseQuery();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const revoke = trpc.account.revokeSession.useMutation({
    onSuccess: async () => { setNotice({ ok: true, text: "Session signed out." }); await utils.account.sessions.invalidate(); },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });
  const revokeOthers = trpc.account.revokeOtherSessions.useMutation({
    onSuccess: async (r) => { setNotice({ ok: true, text: `Signed out ${r.revoked} other session(s).` }); await utils.account.sessions.invalidate(); },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });

  return (
    <section aria-labelledby="sessions-h" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <h2 id="sessions-h" className="text-base font-semibold">Where you are signed in</h2>
        <button type="button" disabled={revokeOthers.isPending || sessions.length < 2}
          onClick={() => { if (confirm("Sign out every other session?")) revokeOthers.mutate(); }}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">
          Sign out everywhere else
        </button>
      </div>
      {notice && (
        <p role="status" data-testid="sessions-notice" className={`mt-3 rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>
      )}
      <ul className="mt-3 divide-y divide-slate-100">
        {sessions.map((s) => (
          <li key={s.id} data-testid="session-row" className="flex flex-col gap-1 py-3 text-sm sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0">
              <p className="truncate font-medium">{s.userAgent ?? "Unknown device"}{s.current && <span className="ml-2 rounded bg-brand-light px-1.5 py-0.5 text-xs text-brand">this session</span>}</p>
              <p className="text-slate-500">Signed in {fmt(s.createdAt)} · last active {fmt(s.lastSeenAt)}{s.ip ? ` · ${s.ip}` : ""}</p>
            </div>
            {!s.current && (
              <button type="button" onClick={() => revoke.mutate({ id: s.id })} disabled={revoke.isPending}
                className="self-start rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 sm:self-auto">
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
