import type { Metadata } from "next";
import Link from "next/link";
import { auth } from "@/server/auth/index.ts";
import { api } from "@/app/_trpc/rsc.ts";
import { JoinForm } from "./join-form.tsx";
import { SignUpForm } from "./sign-up-form.tsx";

export const metadata: Metadata = { title: "Ask to join" };

type Props = { params: Promise<{ tenant: string }> };

function Card({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen items-start justify-center px-4 py-12 sm:items-center">
      <div className="w-full max-w-md">
        <p className="mb-6 text-center text-3xl font-bold tracking-tight text-brand">Roster</p>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      </div>
    </main>
  );
}

/**
 * The join-request landing page. An unknown, suspended or CLOSED tenant shows one neutral page (no enumeration);
 * otherwise a signed-in person asks with an optional message, and a visitor is asked to sign in, or, only when the
 * tenant takes requests, may sign up here.
 */
export default async function JoinPage({ params }: Props) {
  const { tenant: slug } = await params;
  const [session, landing] = await Promise.all([auth(), api.joinRequests.landing({ tenant: slug.slice(0, 200) })]);
  if (landing.state === "closed") {
    return (
      <Card>
        <h1 className="text-lg font-semibold" data-testid="join-closed">This tenant does not accept requests</h1>
        <p className="mt-2 text-sm text-slate-600">If you expected to join, ask the organisation for an invitation.</p>
      </Card>
    );
  }
  const { tenant, viewer, signUpAllowed } = landing;
  const callback = `/join/${tenant.slug}`;
  return (
    <Card>
      <h1 className="text-lg font-semibold">
        Ask to join <span data-testid="join-tenant-name">{tenant.name}</span>
      </h1>
      {session && viewer ? (
        viewer.member ? (
          <p className="mt-3 text-sm text-slate-700" data-testid="join-result" role="status">
            You are already a member. <Link href={`/t/${tenant.slug}`} className="text-brand underline">Open {tenant.name}</Link>
          </p>
        ) : viewer.pending ? (
          <p className="mt-3 text-sm text-slate-700" data-testid="join-result" role="status">
            Your request is waiting for an admin. You will get an email when it is decided.
          </p>
        ) : (
          <>
            <p className="mt-2 text-sm text-slate-600">Signed in as {session.user.email}. The tenant&apos;s admins will accept or deny your request.</p>
            <JoinForm tenant={tenant.slug} />
          </>
        )
      ) : (
        <>
          <p className="mt-2 text-sm text-slate-600">
            <Link href={`/signin?callbackUrl=${encodeURIComponent(callback)}`} data-testid="join-sign-in"
              className="font-medium text-brand underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand">Sign in to ask</Link>{" "}
            to join {tenant.name}.
          </p>
          {signUpAllowed && (
            <div className="mt-6 border-t border-slate-200 pt-6">
              <h2 className="text-base font-medium">New to Roster? Create an account and ask</h2>
              <SignUpForm tenant={tenant.slug} />
            </div>
          )}
        </>
      )}
    </Card>
  );
}
