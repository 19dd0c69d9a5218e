import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header.tsx";
import { SignOutButton } from "@/app/_components/sign-out-button.tsx";
import { auth } from "@/server/auth/index.ts";
import { api, HydrateClient } from "@/app/_trpc/rsc.ts";
import { TwoFactorManager } from "./two-factor-manager.tsx";

export const metadata: Metadata = { title: "Two-factor authentication" };

/** Only same-site paths may be where the page sends the person after enrolment (no open redirects). */
function safeNext(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\") ? v : null;
}

export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await auth();
  if (!session) redirect("/signin?callbackUrl=%2Faccount%2Ftwo-factor");
  const next = safeNext((await searchParams).next);
  void api.account.twoFactor.prefetch();
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2">
        <Link href="/account" className="text-lg font-bold text-brand">Roster</Link>
        <SignOutButton />
      </header>
      <main id="main" className="mx-auto max-w-2xl px-4 py-8">
        <PageHeader title="Two-factor authentication" description="A code from an authenticator app, asked for after your password." />
        <section className="rounded-xl border border-slate-200 bg-white p-5">
          <HydrateClient>
            <TwoFactorManager next={next} />
          </HydrateClient>
        </section>
        <p className="mt-6 text-sm"><Link href="/account" className="text-brand underline">Back to your account</Link></p>
      </main>
    </div>
  );
}
