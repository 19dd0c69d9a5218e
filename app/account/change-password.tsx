"use client";
/**
 * Change password: the current one, the new one twice, and "sign out other sessions" (checked by default). After
 * the change this session's cookie is replaced (the server marked it for rotation: app/_components/rotate-session.ts).
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { rotateSessionCookie } from "@/app/_components/rotate-session.ts";
import { Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { applyServerError, Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";

const schema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password."),
    newPassword: z.string().min(12, "Use at least 12 characters.").max(128, "Use at most 128 characters."),
    confirm: z.string(),
    signOutOtherSessions: z.boolean(),
  })
  .refine((v) => v.newPassword === v.confirm, { message: "The two passwords differ.", path: ["confirm"] });

export function ChangePassword() {
  const router = useRouter();
  const utils = trpc.useUtils();
  const [done, setDone] = useState<string | null>(null);
  const form = useZodForm(schema, { currentPassword: "", newPassword: "", confirm: "", signOutOtherSessions: true });
  const change = trpc.account.changePassword.useMutation({ onError: (e) => applyServerError(form, e) });

  async function onSubmit(v: z.output<typeof schema>) {
    setDone(null);
    const r = await change.mutateAsync({ currentPassword: v.currentPassword, newPassword: v.newPassword, signOutOtherSessions: v.signOutOtherSessions }).catch(() => null);
    if (!r) return;
    await rotateSessionCookie();
    form.reset({ currentPassword: "", newPassword: "", confirm: "", signOutOtherSessions: true });
    setDone(r.signedOut > 0 ? `Password changed. ${r.signedOut} other session${r.signedOut === 1 ? " was" : "s were"} signed out.` : "Password changed.");
    await utils.account.sessions.invalidate();
    router.refresh();
  }

  return (
    <section aria-labelledby="password-h" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="password-h" className="text-base font-semibold">Password</h2>
      <Form form={form} onSubmit={onSubmit} errorTestId="change-password-error" className="mt-3 max-w-sm space-y-4">
        <FormTextField form={form} name="currentPassword" label="Current password" type="password" autoComplete="current-password" required />
        <FormTextField
          form={form} name="newPassword" label="New password" type="password" autoComplete="new-password" required
          hint="At least 12 characters; common passwords are refused."
        />
        <FormTextField form={form} name="confirm" label="Repeat the new password" type="password" autoComplete="new-password" required />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" {...form.register("signOutOtherSessions")} data-testid="sign-out-others" className="h-4 w-4 rounded border-slate-300" />
          Sign out my other sessions
        </label>
        <Button type="submit" pending={form.formState.isSubmitting} pendingLabel="Saving…" data-testid="change-password-submit">
          Change password
        </Button>
        {done && <Notice tone="success" data-testid="change-password-done">{done}</Notice>}
      </Form>
    </section>
  );
}
