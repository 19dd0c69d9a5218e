"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { z } from "zod";
import { trpc } from "@/app/_trpc/react.tsx";
import { Alert, Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { applyServerError, Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";

const WHY = {
  expired: "This link has expired: links work for 24 hours.",
  used: "This link was already used, or a newer one was sent since.",
  invalid: "This link is not valid.",
} as const;

export function VerifyEmailPanel({ token }: { token: string }) {
  const [secret] = useState(token);
  useEffect(() => {
    if (window.location.search) window.history.replaceState(null, "", "/verify-email");
  }, []);
  const verify = trpc.account.verifyEmail.useMutation();
  const result = verify.data;

  if (result?.state === "verified") {
    return (
      <div className="space-y-3">
        <Notice tone="success" data-testid="verify-email-state" data-state="verified">Your email address is confirmed.</Notice>
        {result.needsPassword ? (
          <p className="text-sm text-slate-700">
            Your account has no password yet. <Link href="/forgot-password" className="font-medium text-brand underline">Choose a password</Link> to sign in.
          </p>
        ) : (
          <Link href="/account" className="inline-block text-sm font-medium text-brand underline">Continue</Link>
        )}
      </div>
    );
  }
  if (result || !secret) {
    const state = result?.state ?? "invalid";
    return (
      <div className="space-y-4">
        <Alert tone="warning" data-testid="verify-email-state" data-state={state}>{WHY[state as keyof typeof WHY]}</Alert>
        <ResendByEmail />
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">Press the button to confirm that this email address is yours.</p>
      {verify.error && <Alert>{verify.error.message}</Alert>}
      <Button block data-testid="verify-email-confirm" pending={verify.isPending} pendingLabel="Confirming…" onClick={() => verify.mutate({ token: secret })}>
        Confirm my email address
      </Button>
    </div>
  );
}

const schema = z.object({ email: z.string().trim().min(1, "Enter your email address.").max(254) });

/** A new link by address; the answer is the same sentence for every address. */
function ResendByEmail() {
  const form = useZodForm(schema, { email: "" });
  const request = trpc.account.requestVerificationEmail.useMutation({ onError: (e) => applyServerError(form, e) });
  if (request.data) return <Notice tone="info" data-testid="verify-email-resent">{request.data.message}</Notice>;
  return (
    <Form form={form} onSubmit={(v) => request.mutateAsync(v).catch(() => {})}>
      <FormTextField form={form} name="email" label="Send a new link to" type="email" autoComplete="email" required />
      <Button type="submit" variant="secondary" block pending={form.formState.isSubmitting}>Send a new link</Button>
    </Form>
  );
}
