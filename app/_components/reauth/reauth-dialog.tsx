"use client";
/**
 * The re-authentication prompt: sensitive changes (API tokens, roles and rights, owners, two-factor, security
 * settings) need the password or a code entered in the last few minutes. The tRPC link (app/_trpc/reauth-link.ts)
 * asks ./reauth-host.tsx, which loads and opens this dialog when the server answers REAUTH_REQUIRED; the link retries
 * the change after it succeeded; the session cookie is rotated in between.
 */
import { useEffect, useState } from "react";
import { z } from "zod";
import { trpc } from "@/app/_trpc/react.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { Dialog } from "@/app/_components/ui/dialog.tsx";
import { Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";
import { rotateSessionCookie } from "../rotate-session.ts";

const schema = z.object({ secret: z.string().min(1, "Enter it to continue.").max(256) });

type Props = {
  open: boolean;
  /** Changes with every new prompt, which starts from an empty field. */
  request: number;
  /** Closes the dialog and answers the prompt: true once re-authenticated, false when cancelled. */
  onFinish: (ok: boolean) => void;
};

export function ReauthDialog({ open, request, onFinish: finish }: Props) {
  const [mode, setMode] = useState<"password" | "code">("password");
  const form = useZodForm(schema, { secret: "" });
  const reauth = trpc.account.reauthenticate.useMutation();

  useEffect(() => {
    form.reset({ secret: "" });
  }, [form, request]);

  async function onSubmit({ secret }: z.output<typeof schema>) {
    try {
      await reauth.mutateAsync(mode === "password" ? { password: secret } : { code: secret });
    } catch (e) {
      form.setError("root", { type: "server", message: e instanceof Error ? e.message : "That did not work. Try again." });
      return;
    }
    await rotateSessionCookie();
    finish(true);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(v) => { if (!v) finish(false); }}
      title="Confirm it is you"
      description="This change needs your password (or a two-factor code) entered in the last few minutes."
      data-testid="reauth-dialog"
    >
      <Form form={form} onSubmit={onSubmit} errorTestId="reauth-error">
        {mode === "password" ? (
          <FormTextField key="password" form={form} name="secret" label="Password" type="password" autoComplete="current-password" autoFocus data-testid="reauth-password" />
        ) : (
          <FormTextField key="code" form={form} name="secret" label="Authentication code or recovery code" autoComplete="one-time-code" autoFocus data-testid="reauth-code" />
        )}
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Button variant="ghost" size="sm" onClick={() => { setMode(mode === "password" ? "code" : "password"); form.reset({ secret: "" }); }}>
            {mode === "password" ? "Use a two-factor code instead" : "Use my password instead"}
          </Button>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => finish(false)}>Cancel</Button>
            <Button type="submit" pending={form.formState.isSubmitting} data-testid="reauth-submit">Confirm</Button>
          </div>
        </div>
      </Form>
    </Dialog>
  );
}
