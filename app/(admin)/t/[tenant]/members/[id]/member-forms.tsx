"use client";
/** Client islands of the member detail page: profile form, roles + full access editor, status and removal actions. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button.tsx";
import { ConfirmDialog } from "@/app/_components/ui/dialog.tsx";
import { trpc } from "@/app/_trpc/react.tsx";
import { Notice, type NoticeState } from "../notice.tsx";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const primary = "rounded-md bg-brand px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-dark disabled:opacity-50";

type Profile = { firstName: string | null; lastName: string | null; displayName: string | null; phone: string | null; language: string };

export function ProfileForm({ slug, id, profile }: { slug: string; id: number; profile: Profile }) {
  const router = useRouter();
  const [notice, setNotice] = useState<NoticeState>(null);
  const update = trpc.members.updateProfile.useMutation({
    onSuccess: () => { setNotice({ ok: true, text: "Profile saved." }); router.refresh(); },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });
  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? "").trim();
    update.mutate({
      tenant: slug, id,
      firstName: s("firstName") || null, lastName: s("lastName") || null, displayName: s("displayName") || null,
      phone: s("phone") || null, language: s("language"),
    });
  }
  return (
    <form onSubmit={onSubmit} className="space-y-3" data-testid="profile-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-sm font-medium text-slate-700">First name<input name="firstName" defaultValue={profile.firstName ?? ""} maxLength={100} className={input} autoComplete="off" /></label>
        <label className="text-sm font-medium text-slate-700">Last name<input name="lastName" defaultValue={profile.lastName ?? ""} maxLength={100} className={input} autoComplete="off" /></label>
        <label className="text-sm font-medium text-slate-700">Display name<input name="displayName" defaultValue={profile.displayName ?? ""} maxLength={100} className={input} autoComplete="off" /></label>
        <label className="text-sm font-medium text-slate-700">Phone (E.164, e.g. +14155550100)<input name="phone" type="tel" defaultValue={profile.phone ?? ""} className={input} autoComplete="off" /></label>
        <label className="text-sm font-medium text-slate-700">Language<input name="language" defaultValue={profile.language} required className={input} autoComplete="off" /></label>
      </div>
      <Notice notice={notice} testId="profile-notice" />
      <button type="submit" disabled={update.isPending} className={primary}>{update.isPending ? "Saving…" : "Save profile"}</button>
    </form>
  );
}

type RoleOption = { slug: string; title: string; weight: number; assignable: boolean };

export function RolesForm({ slug, id, roles, hasFullAccess, options, canGrantFullAccess }: {
  slug: string; id: number; roles: string[]; hasFullAccess: boolean; options: RoleOption[]; canGrantFullAccess: boolean;
}) {
  const router = useRouter();
  const [chosen, setChosen] = useState<Set<string>>(new Set(roles));
  const [full, setFull] = useState(hasFullAccess);
  const [notice, setNotice] = useState<NoticeState>(null);
  const set = trpc.members.setRoles.useMutation({
    onSuccess: () => { setNotice({ ok: true, text: "Roles saved." }); router.refresh(); },
    onError: (e) => setNotice({ ok: false, text: e.message }),
  });
  const toggle = (s: string) => setChosen((c) => { const n = new Set(c); if (n.has(s)) n.delete(s); else n.add(s); return n; });
  return (
    <form className="space-y-3" data-testid="roles-form"
      onSubmit={(e) => { e.preventDefault(); set.mutate({ tenant: slug, id, roles: [...chosen], hasFullAccess: full }); }}>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Tenant roles</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {options.map((o) => {
            // A role the viewer may neither give nor take away is shown, but locked.
            const locked = !o.assignable;
            return (
              <label key={o.slug} className={`flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm ${locked ? "text-slate-400" : ""}`}>
                <input type="checkbox" checked={chosen.has(o.slug)} disabled={locked} onChange={() => toggle(o.slug)} />
                {o.title}{locked && <span className="sr-only"> (you cannot change this role)</span>}
              </label>
            );
          })}
        </div>
      </fieldset>
      <label className={`flex items-center gap-2 text-sm ${canGrantFullAccess ? "" : "text-slate-400"}`}>
        <input type="checkbox" checked={full} disabled={!canGrantFullAccess} onChange={(e) => setFull(e.target.checked)} data-testid="full-access" />
        Full access (every unit, also units created later)
      </label>
      <Notice notice={notice} testId="roles-notice" />
      <button type="submit" disabled={set.isPending || chosen.size === 0} className={primary}>{set.isPending ? "Saving…" : "Save roles"}</button>
    </form>
  );
}

/** "Jane Doe (jane@x.test)", or just the email when the member has no name: who a confirmation is about. */
const who = (name: string, email: string) => (name && name !== email ? `${name} (${email})` : email);

export function MemberActions({ slug, id, email, name, tenantName, status, canSuspend, canRemove, isSelf }: {
  slug: string; id: number; email: string; name: string; tenantName: string; status: "ACTIVE" | "SUSPENDED"; canSuspend: boolean; canRemove: boolean; isSelf: boolean;
}) {
  const router = useRouter();
  const [notice, setNotice] = useState<NoticeState>(null);
  const onError = (e: { message: string }) => setNotice({ ok: false, text: e.message });
  const suspend = trpc.members.suspend.useMutation({ onSuccess: () => { setNotice({ ok: true, text: "Member suspended." }); router.refresh(); }, onError });
  const reactivate = trpc.members.reactivate.useMutation({ onSuccess: () => { setNotice({ ok: true, text: "Member reactivated." }); router.refresh(); }, onError });
  const remove = trpc.members.remove.useMutation({
    onSuccess: () => { setNotice({ ok: true, text: `${email} was removed. Returning to the list…` }); router.push(`/t/${slug}/members`); router.refresh(); },
    onError,
  });
  const leave = trpc.members.leave.useMutation({
    onSuccess: () => { setNotice({ ok: true, text: "You left this tenant." }); router.push("/account"); },
    onError,
  });
  const busy = suspend.isPending || reactivate.isPending || remove.isPending || leave.isPending;
  const person = who(name, email);
  // The dialog closes once the mutation settled; a refusal shows in the notice below.
  const settle = (p: Promise<unknown>) => p.catch(() => {});
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {canSuspend && status === "ACTIVE" && (
          <ConfirmDialog
            data-testid="suspend-member-dialog"
            title={`Suspend ${person}?`}
            description={`They lose access to ${tenantName} and every unit in it at their next request. Nothing is deleted; you can reactivate them later.`}
            confirmLabel="Suspend member"
            confirmTestId="confirm-suspend-member"
            onConfirm={() => settle(suspend.mutateAsync({ tenant: slug, id }))}
            trigger={<Button variant="danger-outline" size="sm" disabled={busy} data-testid="suspend-member">Suspend</Button>}
          />
        )}
        {canSuspend && status === "SUSPENDED" && (
          <Button variant="secondary" size="sm" disabled={busy} data-testid="reactivate-member" onClick={() => reactivate.mutate({ tenant: slug, id })}>
            Reactivate
          </Button>
        )}
        {canRemove && !isSelf && (
          <ConfirmDialog
            data-testid="remove-member-dialog"
            title={`Remove ${person} from ${tenantName}?`}
            description="They lose access to every unit at once and their tenant roles are deleted. The audit log keeps the history; to bring them back, invite them again."
            confirmLabel="Remove member"
            confirmTestId="confirm-remove-member"
            onConfirm={() => settle(remove.mutateAsync({ tenant: slug, id }))}
            trigger={<Button variant="danger-outline" size="sm" disabled={busy} data-testid="remove-member">Remove from tenant</Button>}
          />
        )}
        {isSelf && (
          <ConfirmDialog
            data-testid="leave-tenant-dialog"
            title={`Leave ${tenantName}?`}
            description="You lose access to it and every unit in it until someone invites you again."
            confirmLabel="Leave tenant"
            confirmTestId="confirm-leave-tenant"
            onConfirm={() => settle(leave.mutateAsync({ tenant: slug }))}
            trigger={<Button variant="danger-outline" size="sm" disabled={busy} data-testid="leave-tenant">Leave this tenant</Button>}
          />
        )}
      </div>
      <Notice notice={notice} testId="actions-notice" />
    </div>
  );
}
