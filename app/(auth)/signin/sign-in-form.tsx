"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FieldErrors } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";
import { CodeStepForm } from "./code-step-form.tsx";

// A correct password for an account with two-factor answers "TwoFactorRequired:<challenge>" instead of a session.
const TWO_FACTOR_REQUIRED = "TwoFactorRequired:";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  MissingCredentials: "Enter your email and password.",
  RateLimited: "Too many attempts. Wait a few minutes and try again.",
  SessionRequired: "Please sign in to continue.",
};

// Only presence is checked here: the server decides whether the pair is right, and says so without detail.
const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address."),
  password: z.string().min(1, "Enter your password."),
});

export function SignInForm({ callbackUrl, initialError, defaultEmail = "" }: { callbackUrl: string; initialError: string | null; defaultEmail?: string }) {
  const router = useRouter();
  const form = useZodForm(schema, { email: defaultEmail, password: "" });
  const [challenge, setChallenge] = useState<string | null>(null);

  async function onSubmit(values: z.output<typeof schema>) {
    const res = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
    if (res?.error?.startsWith(TWO_FACTOR_REQUIRED)) {
      setChallenge(res.error.slice(TWO_FACTOR_REQUIRED.length));
      return;
    }
    if (!res || res.error) {
      form.setError("root", { type: "server", message: MESSAGES[res?.error ?? ""] ?? "Sign-in failed. Try again." });
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
    // Stay pending while the next page loads.
    await new Promise(() => {});
  }

  // Nothing typed is not a wrong password: say what is missing (each empty field also says so beside it).
  function onInvalid(errors: FieldErrors<z.input<typeof schema>>) {
    if (errors.email && errors.password) form.setError("root", { type: "client", message: "Enter your email and password." });
  }

  if (challenge) {
    return (
      <CodeStepForm
        challenge={challenge}
        callbackUrl={callbackUrl}
        onRestart={(message) => {
          setChallenge(null);
          form.reset({ email: form.getValues("email"), password: "" });
          if (message) form.setError("root", { type: "server", message });
        }}
      />
    );
  }

  return (
    <Form form={form} onSubmit={onSubmit} onInvalid={onInvalid} errorTestId="signin-error" initialError={initialError ? (MESSAGES[initialError] ?? "Sign-in failed. Try again.") : null}>
      <FormTextField form={form} name="email" label="Email" type="email" autoComplete="username" required autoFocus />
      <FormTextField form={form} name="password" label="Password" type="password" autoComplete="current-password" required />
      <Button type="submit" block pending={form.formState.isSubmitting} pendingLabel="Signing in…">
        Sign in
      </Button>
    </Form>
  );
}
