"use client";
/**
 * Two-factor set-up and management: scan the QR code (or type the Base32 secret shown next to it) into an
 * authenticator app, confirm with a code, then save the 10 recovery codes shown once. Turning it off and new
 * recovery codes need a recent password or code (the re-authentication prompt appears by itself).
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { rotateSessionCookie } from "@/app/_components/rotate-session.ts";
import { Alert, Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { applyServerError, Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";

const codeSchema = z.object({ code: z.string().trim().regex(/^\d{3}\s?\d{3}$/, "Enter the 6-digit code from your app.") });

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="space-y-3">
      <Notice tone="warning" title="Save your recovery codes now">
        Each code signs you in once if you lose your phone. They are shown only this time: store them somewhere safe.
      </Notice>
      <ol data-testid="recovery-codes" className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-3 font-mono text-sm">
        {codes.map((c) => <li key={c} data-testid="recovery-code">{c}</li>)}
      </ol>
      <Button onClick={onDone} data-testid="recovery-codes-done">I saved them</Button>
    </div>
  );
}

export function TwoFactorManager({ next }: { next: string | null }) {
  const router = useRouter();
  const utils = trpc.useUtils();
  const [status] = trpc.account.twoFactor.useSuspenseQuery();
  const [setup, setSetup] = useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useZodForm(codeSchema, { code: "" });

  const refresh = async () => { await utils.account.twoFactor.invalidate(); router.refresh(); };
  const start = trpc.account.startTwoFactor.useMutation({
    onSuccess: (r) => { setSetup({ secret: r.secret, qrDataUrl: r.qrDataUrl }); setNotice(null); },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });
  const enable = trpc.account.enableTwoFactor.useMutation();
  const disable = trpc.account.disableTwoFactor.useMutation();
  const regenerate = trpc.account.regenerateRecoveryCodes.useMutation({
    onSuccess: (r) => setCodes(r.recoveryCodes),
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });

  async function confirm({ code }: z.output<typeof codeSchema>) {
    try {
      const r = await enable.mutateAsync({ code: code.replace(/\s+/g, "") });
      // The session was marked for rotation by the change: fetch the replacement cookie now.
      await rotateSessionCookie();
      setSetup(null);
      setCodes(r.recoveryCodes);
    } catch (e) {
      applyServerError(form, e);
    }
  }

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        onDone={async () => {
          setCodes(null);
          setNotice({ ok: true, text: "Two-factor authentication is on." });
          await refresh();
          if (next) router.push(next);
        }}
      />
    );
  }

  return (
    <div className="space-y-4">
      {notice && (notice.ok ? <Notice tone="success" data-testid="two-factor-notice">{notice.text}</Notice> : <Alert data-testid="two-factor-notice">{notice.text}</Alert>)}
      {status.requiredBy.length > 0 && !status.enabled && (
        <Notice tone="warning" data-testid="two-factor-required">
          {status.requiredBy.map((t) => t.name).join(", ")} {status.requiredBy.length === 1 ? "requires" : "require"} two-factor authentication.
          Set it up to continue.
        </Notice>
      )}
      {status.enabled ? (
        <div className="space-y-3">
          <p data-testid="two-factor-status" className="text-sm">
            <span className="rounded bg-green-100 px-2 py-0.5 font-medium text-green-800">On</span>
            {status.enabledAt && <span className="ml-2 text-slate-600">since {status.enabledAt.toISOString().slice(0, 10)}</span>}
            <span className="ml-2 text-slate-600">· {status.recoveryCodesLeft} recovery code{status.recoveryCodesLeft === 1 ? "" : "s"} left</span>
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" pending={regenerate.isPending} onClick={() => regenerate.mutate()} data-testid="regenerate-codes">
              New recovery codes
            </Button>
            <ConfirmDialog
              trigger={<Button variant="danger" data-testid="disable-two-factor">Turn off</Button>}
              title="Turn off two-factor authentication?"
              description="Signing in will need only your password. Tenants that require two-factor will ask you to set it up again."
              confirmLabel="Turn off"
              onConfirm={async () => {
                try {
                  await disable.mutateAsync();
                  await rotateSessionCookie();
                  setNotice({ ok: true, text: "Two-factor authentication is off." });
                  await refresh();
                } catch (e) {
                  setNotice({ ok: false, text: e instanceof Error ? e.message : "Could not turn it off." });
                }
              }}
            />
          </div>
        </div>
      ) : setup ? (
        <div className="space-y-4" data-testid="two-factor-setup">
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
            <li>Open an authenticator app (any app that supports TOTP codes).</li>
            <li>Scan the QR code, or type the key by hand.</li>
            <li>Enter the 6-digit code the app shows.</li>
          </ol>
          <div className="flex flex-col items-start gap-4 sm:flex-row">
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server; nothing to optimise */}
            <img src={setup.qrDataUrl} alt="QR code for your authenticator app" width={176} height={176} className="rounded-md border border-slate-200" data-testid="totp-qr" />
            <div className="text-sm">
              <p className="text-slate-600">Key for manual entry (time-based, 6 digits):</p>
              <p className="mt-1 select-all break-all rounded-md bg-slate-50 px-3 py-2 font-mono text-base tracking-wider" data-testid="totp-secret">{setup.secret}</p>
            </div>
          </div>
          <Form form={form} onSubmit={confirm} errorTestId="two-factor-error">
            <FormTextField form={form} name="code" label="Code from the app" autoComplete="one-time-code" inputMode="numeric" data-testid="totp-code" />
            <div className="flex gap-2">
              <Button type="submit" pending={form.formState.isSubmitting} data-testid="totp-confirm">Turn on</Button>
              <Button variant="secondary" onClick={() => setSetup(null)}>Cancel</Button>
            </div>
          </Form>
        </div>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-slate-600" data-testid="two-factor-status">
            Off. With two-factor on, signing in needs a code from an app on your phone as well as your password.
          </p>
          <Button pending={start.isPending} onClick={() => start.mutate()} data-testid="start-two-factor">Set up two-factor</Button>
        </div>
      )}
    </div>
  );
}
