"use client";
/**
 * The account page's profile: name, display name and language, validated in the browser by the same schema the
 * service parses (server/services/account/profile.schema.ts). Success refreshes the server-rendered parts (the
 * header's name, the tenants list) and moves focus to the message, so a screen reader hears that it was saved.
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { inputClasses } from "@/app/_components/ui/field.tsx";
import { applyServerError, Form, FormTextField, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { LANGUAGES, ZUpdateProfileInput } from "@/server/services/account/profile.schema.ts";

type Values = z.input<typeof ZUpdateProfileInput>;

export function ProfileForm({ initial }: { initial: Values }) {
  const router = useRouter();
  const utils = trpc.useUtils();
  const [saved, setSaved] = useState(false);
  const savedRef = useRef<HTMLDivElement>(null);
  const form = useZodForm(ZUpdateProfileInput, initial);
  const update = trpc.account.updateProfile.useMutation({ onError: (e) => applyServerError(form, e) });
  const languageError = form.formState.errors.language?.message;
  // Typing before hydration would be overwritten when react-hook-form mounts; tests (and nothing else) wait on it.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  async function onSubmit(v: z.output<typeof ZUpdateProfileInput>) {
    setSaved(false);
    const me = await update.mutateAsync(v).catch(() => null);
    if (!me) return;
    form.reset({ firstName: me.firstName ?? "", lastName: me.lastName ?? "", displayName: me.displayName ?? "", language: v.language });
    setSaved(true);
    requestAnimationFrame(() => savedRef.current?.focus());
    await utils.account.me.invalidate();
    router.refresh();
  }

  // defaultValue on each input: register() leaves them uncontrolled, so without it the server-rendered HTML would show
  // empty fields until hydration.
  return (
    <Form form={form} onSubmit={onSubmit} errorTestId="profile-error" className="mt-3 space-y-4" data-testid="profile-form" data-hydrated={hydrated ? "true" : undefined}>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormTextField form={form} name="firstName" label="First name" autoComplete="given-name" defaultValue={initial.firstName} />
        <FormTextField form={form} name="lastName" label="Last name" autoComplete="family-name" defaultValue={initial.lastName} />
        <FormTextField
          form={form} name="displayName" label="Display name" autoComplete="nickname" defaultValue={initial.displayName}
          hint="Shown instead of your full name where space is short. Leave empty to use your name."
        />
        <div>
          <label htmlFor="profile-language" className="block text-sm font-medium text-slate-700">Language</label>
          <select
            id="profile-language" defaultValue={initial.language} {...form.register("language")} className={inputClasses(!!languageError)}
            aria-invalid={languageError ? true : undefined} aria-describedby={languageError ? "profile-language-error" : undefined}
          >
            {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.label}</option>)}
          </select>
          {languageError && <p id="profile-language-error" className="mt-1 text-sm text-red-700">{languageError}</p>}
        </div>
      </div>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <Button type="submit" pending={form.formState.isSubmitting} pendingLabel="Saving…" data-testid="profile-submit" className="self-start">
          Save profile
        </Button>
        {saved && !form.formState.isDirty && (
          <div ref={savedRef} tabIndex={-1} className="outline-none"><Notice tone="success" data-testid="profile-saved">Profile saved.</Notice></div>
        )}
      </div>
    </Form>
  );
}
