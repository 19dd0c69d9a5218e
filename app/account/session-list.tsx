"use client";
import { trpc } from "@/app/_trpc/react.tsx";
import { useState } from "react";
import { Alert, Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { timeAgo } from "./relative-time.ts";

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
        <ConfirmDialog
          data-testid="sessions-confirm"
          title="Sign out every other session?"
          description="Every browser and device signed in to your account, except this one, is signed out at once."
          confirmLabel="Sign out everywhere else"
          onConfirm={() => revokeOthers.mutateAsync().catch(() => {})}
          trigger={
            <Button variant="secondary" size="sm" disabled={revokeOthers.isPending || sessions.length < 2}>
              Sign out everywhere else
            </Button>
          }
        />
      </div>
      {notice &&
        (notice.ok ? (
          <Notice tone="success" data-testid="sessions-notice" className="mt-3">{notice.text}</Notice>
        ) : (
          <Alert data-testid="sessions-notice" className="mt-3">{notice.text}</Alert>
        ))}
      <ul className="mt-3 divide-y divide-slate-100">
        {sessions.map((s) => (
          <li key={s.id} data-testid="session-row" data-current={s.current ? "true" : undefined}
            className="flex flex-col gap-1 py-3 text-sm sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0">
              <p className="flex flex-wrap items-center gap-x-2 font-medium">
                <span data-testid="session-device" title={s.userAgent ?? undefined}>{s.device ?? "Unknown browser on unknown OS"}</span>
                {s.current && <span data-testid="session-current" className="rounded bg-brand-light px-1.5 py-0.5 text-xs text-brand">This device</span>}
              </p>
              {/* Relative times move on between the server render and hydration; the minute-level drift is expected. */}
              <p className="text-slate-600" suppressHydrationWarning>
                {s.current ? "Active now" : `Last active ${timeAgo(s.lastSeenAt)}`} · signed in {fmt(s.createdAt)}{s.ip ? ` · ${s.ip}` : ""}
              </p>
            </div>
            {!s.current && (
              <Button variant="ghost" size="sm" onClick={() => revoke.mutate({ id: s.id })} disabled={revoke.isPending}
                className="self-start text-red-700 hover:bg-red-50 sm:self-auto">
                Sign out
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
