import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { SignOutButton } from "@/app/_components/sign-out-button.tsx";
import { auth } from "@/server/auth/index.ts";
import { api, HydrateClient } from "@/app/_trpc/rsc.ts";
import { MyInvitations } from "./my-invitations.tsx";
import { SessionList } from "./session-list.tsx";
import { TwoFactorSummary } from "./two-factor-summary.tsx";
import { ChangePassword } from "./change-password.tsx";
import { VerifyEmailBanner } from "./verify-email-banner.tsx";
import { ProfileForm } from "./profile-form.tsx";
import { AvatarEditor } from "./avatar-editor.tsx";
import { LANGUAGES, type LanguageCode } from "@/server/services/account/profile.schema.ts";

// A language set elsewhere (an integrator's import) that the page does not offer starts the select at English;
// the stored value changes only when the person saves.
const languageOf = (code: string): LanguageCode => LANGUAGES.find((l) => l.code === code)?.code ?? "en";

const initialsOf = (me: { firstName: string | null; lastName: string | null; email: string }) =>
  ([me.firstName?.[0], me.lastName?.[0]].filter(Boolean).join("") || me.email[0] || "?").toUpperCase();

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const session = await auth();
  if (!session) redirect("/signin?callbackUrl=%2Faccount");
  const [me, tenants] = await Promise.all([api.account.me(), api.tenants.list()]);
  void api.invitations.mine.prefetch();
  void api.account.sessions.prefetch();
  void api.account.twoFactor.prefetch();
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2">
        <Link href="/" className="text-lg font-bold text-brand">Roster</Link>
        <SignOutButton />
      </header>
      <main id="main" className="mx-auto max-w-3xl px-4 py-8">
        <PageHeader title="Your account" description="Your profile, your tenants, your invitations and where you are signed in." />
        {!me.emailVerified && <VerifyEmailBanner email={me.email} />}
        <section aria-labelledby="profile-h" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="profile-h" className="text-base font-semibold">Profile</h2>
          <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            <div><dt className="text-slate-600">Email</dt><dd data-testid="account-email" className="break-all">{me.email}</dd></div>
            <div><dt className="text-slate-600">Last sign-in</dt><dd>{me.lastLoginAt ? me.lastLoginAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—"}</dd></div>
          </dl>
          <AvatarEditor avatarUrl={me.avatar?.url ?? null} initials={initialsOf(me)} />
          <ProfileForm
            initial={{ firstName: me.firstName ?? "", lastName: me.lastName ?? "", displayName: me.displayName ?? "", language: languageOf(me.language) }}
          />
        </section>
        <section aria-labelledby="tenants-h" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="tenants-h" className="text-base font-semibold">Your tenants</h2>
          {tenants.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">You do not belong to any tenant yet. Ask an administrator for an invitation.</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100">
              {tenants.map((t) => (
                <li key={t.slug} className="flex items-center justify-between py-2 text-sm">
                  <Link href={`/t/${t.slug}`} className="font-medium text-brand underline-offset-2 hover:underline">{t.name}</Link>
                  <span className="text-slate-600">{t.roles.join(", ")}{t.status === "SUSPENDED" ? " · suspended" : ""}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <HydrateClient>
          <MyInvitations />
          <ChangePassword />
          <TwoFactorSummary />
          <SessionList />
        </HydrateClient>
      </main>
    </div>
  );
}
