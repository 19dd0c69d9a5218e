"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { Button } from "@/app/_components/ui/button.tsx";
import { Form, FormSuccess, FormTextAreaField, applyServerError, useZodForm } from "@/app/_components/ui/form.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { InvitePresetFields } from "./invite-preset-fields.tsx";
import type { TInviteEmailsFormValues, TInviteEmailsOutput, TPastedEmailOutcome, ZInviteEmailsFormValues } from "@/server/services/invitations/invitations.schema.ts";
import { MAX_PASTED_EMAILS, splitPastedEmails } from "@/server/services/invitations/pasted-emails.schema.ts";

type Option = { slug: string; title: string };
type Unit = { id: number; name: string; kind: string };
type Result = { rows: TInviteEmailsOutput["results"]; version: number };

const OUTCOME: Record<TPastedEmailOutcome, string> = {
  invited: "invited, the email is on its way",
  already_member: "already a member, nothing sent",
  already_invited: "already has a pending invitation; resend it from the list below",
  invalid: "not a valid email address, nothing sent",
};
const TONE: Record<TPastedEmailOutcome, string> = { invited: "text-green-800", already_member: "text-slate-700", already_invited: "text-slate-700", invalid: "text-red-700" };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function summary(rows: Result["rows"]): string {
  const n = (o: TPastedEmailOutcome) => rows.filter((r) => r.outcome === o).length;
  const parts = [
    `${plural(n("invited"), "person", "people")} invited`,
    n("already_member") && `${n("already_member")} already ${n("already_member") === 1 ? "a member" : "members"}`,
    n("already_invited") && `${n("already_invited")} already invited`,
    n("invalid") && `${plural(n("invalid"), "address", "addresses")} not valid`,
  ].filter(Boolean);
  return `${parts.join(", ")}.`;
}

/**
 * Invite many people at once: paste addresses (one per line, or separated by commas or semicolons), all with the
 * same kind, role, unit and message. Each address comes back with what became of it (invitations.inviteEmails).
 */
export function InviteEmailsForm({ tenant, roles, units, kind = "MEMBER" }: { tenant: string; roles: Option[]; units: Unit[]; kind?: "MEMBER" | "CLIENT" }) {
  const router = useRouter();
  const defaults: TInviteEmailsFormValues = { emails: "", kind, role: kind === "CLIENT" ? "" : "worker", unitId: "", message: "" };
  const form = useZodForm(() => import("@/server/services/invitations/invitations.schema.ts").then((m) => m.ZInviteEmailsFormValues), defaults);
  const [result, setResult] = useState<Result | null>(null);
  const invite = trpc.invitations.inviteEmails.useMutation();
  const count = splitPastedEmails(form.watch("emails") ?? "").length;

  async function onSubmit(v: z.output<typeof ZInviteEmailsFormValues>) {
    setResult(null);
    const unitId = Number(v.unitId || 0);
    try {
      const r = await invite.mutateAsync({
        tenant,
        emails: v.emails,
        kind: v.kind,
        roles: v.role ? [v.role] : [],
        unitGrants: unitId ? [{ unitId, role: v.role || (v.kind === "CLIENT" ? "client" : "worker"), permissions: [] }] : [],
        message: v.message || null,
      });
      form.reset(defaults);
      setResult((prev) => ({ rows: r.results, version: (prev?.version ?? 0) + 1 }));
      router.refresh();
    } catch (e) {
      applyServerError(form, e);
    }
  }

  return (
    <section aria-labelledby="invite-many-heading" data-testid="invite-emails-form" className="mb-8 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="invite-many-heading" className="text-base font-semibold">Invite several people</h2>
      <Form form={form} onSubmit={onSubmit} onInvalid={() => setResult(null)} errorTestId="invite-emails-error" className="mt-3 space-y-3" aria-labelledby="invite-many-heading">
        <FormTextAreaField
          form={form} name="emails" id="invm-emails" label="Email addresses" rows={4} autoComplete="off" spellCheck={false}
          hint={`One per line, or separated by commas or semicolons; at most ${MAX_PASTED_EMAILS}. ${count ? `${plural(count, "entry", "entries")} so far.` : ""}`}
        />
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <InvitePresetFields form={form} idPrefix="invm" roles={roles} units={units} messageClassName="sm:col-span-2 lg:col-span-4" />
        </div>
        <div className="flex justify-end">
          <Button type="submit" pending={form.formState.isSubmitting} pendingLabel="Inviting…" data-testid="invite-emails-submit">Invite all</Button>
        </div>
      </Form>
      {result && (
        <FormSuccess version={result.version} data-testid="invite-emails-results" className="mt-3">
          <p>{summary(result.rows)}</p>
          <ul className="mt-2 space-y-1">
            {result.rows.map((r) => (
              <li key={r.email} data-testid="invite-emails-result" data-outcome={r.outcome} className="break-all">
                <span className="font-medium">{r.email}</span>: <span className={TONE[r.outcome]}>{OUTCOME[r.outcome]}</span>
              </li>
            ))}
          </ul>
        </FormSuccess>
      )}
    </section>
  );
}
