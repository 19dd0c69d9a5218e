import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import Link from "next/link";
import { SignOutButton } from "@/app/_components/sign-out-button.tsx";
import { auth } from "@/server/auth/index.ts";
import { getDb } from "@/server/db/client.ts";
import { getEnv } from "@/server/env.ts";
import { isAppError } from "@/server/errors.ts";
import { clientIpFrom } from "@/server/security/client-ip.ts";
import { guardInviteLookup } from "@/server/security/invite-token-guard.ts";
import { readInviteCookie } from "@/server/invite-landing/cookie.ts";
import { inviteeNeedsAccount } from "@/server/services/auth/sign-up-from-invitation.ts";
import { getAcceptResult } from "@/server/services/invitations/get-accept-result.ts";
import { previewInvitation } from "@/server/services/invitations/preview-invitation.ts";
import { NEUTRAL_MESSAGE } from "@/server/services/invitations/token-lookup.ts";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand focus:ring-1 focus:ring-brand";
const primary = "rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-dark";

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <p className="mb-6 text-center text-3xl font-bold tracking-tight text-brand">Roster</p>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="invite-card">{children}</div>
      </div>
    </main>
  );
}

/**
 * After an accept that skipped preset units (archived since the invitation was sent): who joined where, and which
 * units did not come with it. Read back for the signed-in person only; anyone else sees the neutral message.
 */
async function Accepted({ invitationId }: { invitationId: number }) {
  const session = await auth();
  const result = session && Number.isSafeInteger(invitationId) ? await getAcceptResult(await getDb(), { userId: session.user.id, invitationId }) : null;
  if (!result) {
    return <Shell><h1 className="text-lg font-semibold">Invitation</h1><p className="mt-2 text-sm text-slate-600" data-testid="invite-invalid">{NEUTRAL_MESSAGE}</p></Shell>;
  }
  return (
    <Shell>
      <h1 className="text-lg font-semibold" data-testid="invite-title">Welcome to {result.tenantName}</h1>
      <p className="mt-2 text-sm text-slate-600" data-testid="invite-result">You joined <strong>{result.tenantName}</strong>.</p>
      {result.skippedUnits.length > 0 && (
        <div role="status" className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p>The invitation also gave access to these units, but they were archived after it was sent, so that access was not added:</p>
          <ul className="mt-1 list-disc pl-5" data-testid="invite-skipped-units">
            {result.skippedUnits.map((u) => <li key={u.id}>{u.name}</li>)}
          </ul>
          <p className="mt-1">Ask an administrator of {result.tenantName} if you need access there.</p>
        </div>
      )}
      <div className="mt-5">
        <Link href={`/t/${result.tenantSlug}?welcome=1`} className={`inline-block ${primary}`} data-testid="invite-continue">Continue to {result.tenantName}</Link>
      </div>
    </Shell>
  );
}

/**
 * The invitation landing page. Opening it only shows what the invitation is (it changes nothing); accepting or
 * declining is an explicit POST. The token arrived through /invite/<token>, which moved it into a cookie.
 */
export default async function InvitePage({ searchParams }: Props) {
  const params = await searchParams;
  const error = one(params.error);
  if (one(params.done) === "declined") {
    return <Shell><h1 className="text-lg font-semibold">Invitation declined</h1><p className="mt-2 text-sm text-slate-600" data-testid="invite-result">You declined the invitation. Nothing else changed.</p></Shell>;
  }
  if (one(params.done) === "accepted") return <Accepted invitationId={Number(one(params.invitation))} />;
  const token = readInviteCookie(await cookies());
  const db = await getDb();
  // Guessed links are throttled per IP (INVITE_TOKEN_IP): a lookup that finds nothing counts, a blocked IP looks nothing up.
  const ip = clientIpFrom(await headers(), getEnv().trustedProxies);
  const looked = token ? await guardInviteLookup(db, ip, () => previewInvitation(db, token)).catch((e: unknown) => e) : null;
  if (isAppError(looked) && looked.code === "TOO_MANY_REQUESTS") {
    return <Shell><h1 className="text-lg font-semibold">Invitation</h1><p className="mt-2 text-sm text-slate-600" data-testid="invite-throttled">{looked.userMessage}</p></Shell>;
  }
  if (looked instanceof Error) throw looked;
  const preview = looked as Awaited<ReturnType<typeof previewInvitation>>;
  if (!token || !preview) {
    return <Shell><h1 className="text-lg font-semibold">Invitation</h1><p className="mt-2 text-sm text-slate-600" data-testid="invite-invalid">{NEUTRAL_MESSAGE}</p></Shell>;
  }
  const session = await auth();
  const account = await inviteeNeedsAccount(db, token);
  const roles = preview.roles.map((r) => r.title).join(", ") || (preview.kind === "CLIENT" ? "Client" : "Member");
  const wrongAccount = session && preview.email !== null && session.user.email !== preview.email;
  const errorText = error === "origin" ? "The form was sent from another site and was refused." : error === "link" ? NEUTRAL_MESSAGE : error;

  return (
    <Shell>
      <h1 className="text-lg font-semibold" data-testid="invite-title">Join {preview.tenantName}</h1>
      <p className="mt-2 text-sm text-slate-600">
        {preview.inviterName ? <><strong>{preview.inviterName}</strong> invited </> : "You were invited "}
        {preview.email ? <><strong>{preview.email}</strong> </> : null}
        to join <strong>{preview.tenantName}</strong> as <strong data-testid="invite-role">{roles}</strong>.
      </p>
      <p className="mt-1 text-xs text-slate-600">The invitation expires on {preview.expiresAt.toISOString().slice(0, 10)}.</p>
      {errorText && <p role="alert" data-testid="invite-error" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{errorText}</p>}

      {session ? (
        wrongAccount ? (
          <div className="mt-5 space-y-3 text-sm" data-testid="invite-wrong-account">
            <p>This invitation is for <strong>{preview.email}</strong>, but you are signed in as <strong>{session.user.email}</strong>.</p>
            <p>The invitation stays open: sign out and continue as {preview.email}.</p>
            {/* Back to the invitation signed out: it then offers the invited address's next step (create the account or sign in). */}
            <SignOutButton testId="invite-switch-account" label="Sign out and continue" className={primary} callbackUrl="/invite" />
          </div>
        ) : (
          <div className="mt-5 flex flex-wrap gap-3">
            <form method="post" action="/invite/accept"><button type="submit" className={primary} data-testid="invite-accept">Accept invitation</button></form>
            <form method="post" action="/invite/decline"><button type="submit" className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50" data-testid="invite-decline">Decline</button></form>
          </div>
        )
      ) : account?.needsAccount ? (
        <form method="post" action="/invite/signup" className="mt-5 space-y-3" data-testid="invite-signup">
          <p className="text-sm text-slate-600">Create your account to join {preview.tenantName}: you are signed in and the invitation is accepted at once.</p>
          <div>
            <label htmlFor="email" className="block text-sm font-medium text-slate-700">Email</label>
            <input id="email" value={account.email ?? ""} readOnly className={`${input} bg-slate-50`} />
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <div><label htmlFor="firstName" className="block text-sm font-medium text-slate-700">First name</label><input id="firstName" name="firstName" autoComplete="given-name" className={input} /></div>
            <div><label htmlFor="lastName" className="block text-sm font-medium text-slate-700">Last name</label><input id="lastName" name="lastName" autoComplete="family-name" className={input} /></div>
          </div>
          <div>
            <label htmlFor="password" className="block text-sm font-medium text-slate-700">Password (at least 12 characters)</label>
            <input id="password" name="password" type="password" autoComplete="new-password" required minLength={12} className={input} />
          </div>
          <button type="submit" className={`w-full ${primary}`}>Create account and join</button>
        </form>
      ) : (
        <div className="mt-5">
          <Link href="/signin?callbackUrl=%2Finvite" className={`inline-block ${primary}`} data-testid="invite-signin">Sign in to accept</Link>
        </div>
      )}
    </Shell>
  );
}
