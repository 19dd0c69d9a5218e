"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";

/** What the server's markers (server/auth/sign-in.ts SIGN_IN_ERRORS) mean at the code step. */
function codeMessage(error: string): { text: string; restart: boolean } {
  if (error === "TwoFactorInvalid") return { text: "That code is not right. Check your authenticator app and try again.", restart: false };
  if (error.startsWith("TwoFactorLocked:")) {
    const minutes = Math.max(1, Math.ceil(Number(error.split(":")[1] ?? 900) / 60));
    return { text: `Too many wrong codes. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or use a recovery code.`, restart: false };
  }
  if (error === "TwoFactorExpired") return { text: "This sign-in step expired. Enter your password again.", restart: true };
  if (error === "RateLimited") return { text: "Too many attempts. Wait a few minutes and try again.", restart: false };
  return { text: "Sign-in failed. Try again.", restart: false };
}

const schema = z.object({ code: z.string().trim().min(1, "Enter the code from your authenticator app, or a recovery code.").max(64) });

/**
 * The second step of sign-in for an account with two-factor: the challenge from the password step plus a code from
 * the authenticator app (or a recovery code). Only this step creates the session. No "remember this device".
 */
export function CodeStepForm({ challenge, callbackUrl, onRestart }: { challenge: string; callbackUrl: string; onRestart: (message: string) => void }) {
  const router = useRouter();
  const form = useZodForm(schema, { code: "" });

  async function onSubmit(values: z.output<typeof schema>) {
    const res = await signIn("credentials", { challenge, code: values.code, redirect: false });
    if (!res || res.error) {
      const { text, restart } = codeMessage(res?.error ?? "");
      if (restart) return onRestart(text);
      form.setError("root", { type: "server", message: text });
      form.resetField("code", { keepError: true });
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
    await new Promise(() => {});
  }

  return (
    <Form form={form} onSubmit={onSubmit} errorTestId="signin-error" data-testid="signin-code-step">
      <p className="text-sm text-slate-600">Enter the 6-digit code from your authenticator app. Lost your phone? Enter one of your recovery codes instead.</p>
      <FormTextField form={form} name="code" label="Authentication code" autoComplete="one-time-code" inputMode="text" required autoFocus
        data-testid="signin-code" />
      <Button type="submit" block pending={form.formState.isSubmitting} pendingLabel="Checking…">
        Verify and sign in
      </Button>
      <Button variant="ghost" block onClick={() => onRestart("")}>Use a different account</Button>
    </Form>
  );
}
