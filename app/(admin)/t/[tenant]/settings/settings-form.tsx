"use client";
/** The tenant settings form, calling settings.update; read-only for viewers without settings.manage. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormSuccess, FormTextAreaField, FormTextField, applyServerError, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import type { ZSettingsFormValues, TSettingsFormValues } from "@/server/services/settings/settings.schema.ts";

type Policy = "CLOSED" | "REQUEST" | "OPEN";
type Settings = { invitationTtlDays: number; joinPolicy: Policy; allowedLinkOrigins: string[]; requireTwoFactor: boolean; appOrigin: string; canManage: boolean };

const POLICIES: { value: Policy; label: string; hint: string }[] = [
  { value: "CLOSED", label: "Closed", hint: "Nobody can ask to join; people join by invitation only." },
  { value: "REQUEST", label: "On request", hint: "Anyone can ask to join from the join page, signing up there first without an account; admins accept or deny." },
];

const valuesOf = (s: Omit<Settings, "appOrigin" | "canManage">): TSettingsFormValues => ({
  invitationTtlDays: String(s.invitationTtlDays),
  // OPEN is the older name of REQUEST (settings.schema.ts): shown, and saved, as On request.
  joinPolicy: s.joinPolicy === "OPEN" ? "REQUEST" : s.joinPolicy,
  requireTwoFactor: s.requireTwoFactor,
  allowedLinkOrigins: s.allowedLinkOrigins.join("\n"),
});

export function SettingsForm({ tenant, initial }: { tenant: string; initial: Settings }) {
  const router = useRouter();
  const form = useZodForm(() => import("@/server/services/settings/settings.schema.ts").then((m) => m.ZSettingsFormValues), valuesOf(initial));
  const [saved, setSaved] = useState(0);
  const update = trpc.settings.update.useMutation();
  const policy = form.watch("joinPolicy");
  const joinUrl = `${initial.appOrigin}/join/${tenant}`;

  async function onSubmit(v: z.output<typeof ZSettingsFormValues>) {
    setSaved(0);
    try {
      const s = await update.mutateAsync({ tenant, ...v });
      // What the server stored (origins normalised and de-duplicated) becomes the form's new starting point.
      form.reset(valuesOf(s));
      setSaved((n) => n + 1);
      router.refresh();
    } catch (e) {
      applyServerError(form, e);
    }
  }

  return (
    <Form form={form} onSubmit={onSubmit} onInvalid={() => setSaved(0)} errorTestId="settings-error" data-testid="settings-form"
      className="max-w-2xl space-y-6 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
      {saved > 0 && <FormSuccess version={saved} data-testid="settings-notice">Settings saved.</FormSuccess>}
      {!initial.canManage && <p className="text-sm text-slate-600">You can see these settings; changing them needs the “Manage tenant settings” permission.</p>}
      <fieldset disabled={!initial.canManage} className="space-y-6">
        <FormTextField form={form} name="invitationTtlDays" id="ttl" label="Invitation lifetime (days)" type="number" inputMode="numeric" min={1} max={30} step={1}
          hint="Between 1 and 30 days. Applies to invitations sent from now on." className="sm:[&_input]:w-32" />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Join requests</legend>
          <div className="mt-2 space-y-2">
            {POLICIES.map((p) => (
              <label key={p.value} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 p-3 has-[:checked]:border-brand">
                <input type="radio" value={p.value} defaultChecked={form.getValues("joinPolicy") === p.value} {...form.register("joinPolicy")} className="mt-1" />
                <span>
                  <span className="block text-sm font-medium">{p.label}</span>
                  <span className="block text-xs text-slate-600">{p.hint}</span>
                </span>
              </label>
            ))}
          </div>
          {policy !== "CLOSED" && <p className="mt-2 break-all text-xs text-slate-600">Join page: <span className="font-mono">{joinUrl}</span></p>}
        </fieldset>
        <div>
          <label className="flex cursor-pointer items-start gap-3">
            <input type="checkbox" defaultChecked={form.getValues("requireTwoFactor")} {...form.register("requireTwoFactor")} className="mt-1" data-testid="require-two-factor" aria-describedby="require-2fa-hint" />
            <span>
              <span className="block text-sm font-medium text-slate-700">Require two-factor authentication</span>
              <span id="require-2fa-hint" className="block text-xs text-slate-600">
                Members without it are asked to set it up at their next sign-in before they see anything of this tenant, and their API
                tokens stop working until they do. Turn it on for your own account first.
              </span>
            </span>
          </label>
        </div>
        <FormTextAreaField form={form} name="allowedLinkOrigins" id="origins" label="Allowed link origins" rows={4} placeholder="https://partner.example"
          hint={<>One per line, at most 20, like https://partner.example. Integrators may use these as <code>verificationBaseUrl</code>;
            this app&apos;s own address (<span className="font-mono">{initial.appOrigin}</span>) is always allowed.</>} />
      </fieldset>
      {initial.canManage && (
        <Button type="submit" pending={form.formState.isSubmitting} pendingLabel="Saving…" data-testid="settings-save">Save settings</Button>
      )}
    </Form>
  );
}
