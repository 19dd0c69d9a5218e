"use client";
/** Shown on the account page until the address is confirmed: why tenants show nothing yet, and a resend button. */
import { trpc } from "@/app/_trpc/react.tsx";
import { Alert, Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";

export function VerifyEmailBanner({ email }: { email: string }) {
  const resend = trpc.account.resendVerificationEmail.useMutation();
  return (
    <Alert tone="warning" data-testid="verify-email-banner" title="Confirm your email address" className="mb-6">
      <p className="mt-1">
        We sent a link to <strong>{email}</strong>. Until you open it, your tenants show you nothing (an administrator may already have
        accepted you).
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <Button size="sm" variant="secondary" data-testid="resend-verification" pending={resend.isPending} onClick={() => resend.mutate()}>
          Send the link again
        </Button>
        {resend.data?.sent && <Notice tone="success" className="py-1">A new link is on its way. Older links no longer work.</Notice>}
        {resend.data?.alreadyVerified && <Notice tone="success" className="py-1">Your address is already confirmed. Reload the page.</Notice>}
        {resend.error && <span className="text-sm text-red-800">{resend.error.message}</span>}
      </div>
    </Alert>
  );
}
