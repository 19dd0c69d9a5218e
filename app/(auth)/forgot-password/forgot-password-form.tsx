"use client";
import { useState } from "react";
import { z } from "zod";
import { trpc } from "@/app/_trpc/react.tsx";
import { Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { applyServerError, Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";

const schema = z.object({ email: z.string().trim().min(1, "Enter your email address.").max(254) });

/** Asks for a reset link. The answer is the same sentence whether or not the address has an account. */
export function ForgotPasswordForm({ defaultEmail }: { defaultEmail: string }) {
  const form = useZodForm(schema, { email: defaultEmail });
  const [done, setDone] = useState<string | null>(null);
  const request = trpc.account.requestPasswordReset.useMutation({
    onSuccess: (r) => setDone(r.message),
    onError: (e) => applyServerError(form, e),
  });
  if (done) {
    return (
      <Notice tone="success" data-testid="forgot-password-done">
        {done}
      </Notice>
    );
  }
  return (
    <Form form={form} onSubmit={(v) => request.mutateAsync(v).catch(() => {})} errorTestId="forgot-password-error">
      <p className="text-sm text-slate-600">Enter the email address of your account. We will send you a link to choose a new password.</p>
      <FormTextField form={form} name="email" label="Email" type="email" autoComplete="username" required autoFocus />
      <Button type="submit" block pending={form.formState.isSubmitting} pendingLabel="Sending…">
        Send reset link
      </Button>
    </Form>
  );
}
