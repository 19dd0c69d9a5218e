"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { z } from "zod";
import { trpc } from "@/app/_trpc/react.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { applyServerError, Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";

// The server applies the full policy (length and the common-password list) and names what is wrong.
const schema = z
  .object({
    password: z.string().min(12, "Use at least 12 characters.").max(128, "Use at most 128 characters."),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ.", path: ["confirm"] });

export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  // The token came in the URL; it leaves the address bar (and the history entry) before anything else happens.
  const [secret] = useState(token);
  useEffect(() => {
    window.history.replaceState(null, "", "/reset-password");
  }, []);
  const form = useZodForm(schema, { password: "", confirm: "" });
  const reset = trpc.account.resetPassword.useMutation({
    onSuccess: (r) => {
      router.replace(`/signin?reset=1&email=${encodeURIComponent(r.email)}`);
    },
    onError: (e) => applyServerError(form, e),
  });
  return (
    <Form form={form} onSubmit={(v) => reset.mutateAsync({ token: secret, password: v.password }).then(() => new Promise(() => {})).catch(() => {})} errorTestId="reset-password-error">
      <FormTextField
        form={form} name="password" label="New password" type="password" autoComplete="new-password" required autoFocus
        hint="At least 12 characters; common passwords are refused. Every session of your account will be signed out."
      />
      <FormTextField form={form} name="confirm" label="Repeat the new password" type="password" autoComplete="new-password" required />
      <Button type="submit" block pending={form.formState.isSubmitting} pendingLabel="Saving…">
        Set new password
      </Button>
    </Form>
  );
}
