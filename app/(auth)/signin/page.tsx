import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/index.ts";
import { safeReturnPath } from "@/server/auth/return-path.ts";
import { SignInForm } from "./sign-in-form.tsx";

export const metadata: Metadata = { title: "Sign in" };


export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await auth()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? params.error : null;
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-3xl font-bold tracking-tight text-brand">Roster</p>
          <h1 className="mt-2 text-lg font-medium text-slate-700">Sign in to your account</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm callbackUrl={callbackUrl} initialError={error} defaultEmail={typeof params.email === "string" ? params.email.slice(0, 254) : ""} />
        </div>
        <p className="mt-3 text-center text-sm">
          <Link href="/forgot-password" data-testid="forgot-password-link" className="font-medium text-brand underline-offset-2 hover:underline">
            Forgot password?
          </Link>
        </p>
        {params.reset === "1" && (
          <p data-testid="signin-reset" role="status" className="mt-4 rounded-md bg-green-50 px-3 py-2 text-center text-sm text-green-800">
            Your password was changed and every session was signed out. Sign in with the new password.
          </p>
        )}
        {params.created === "1" && (
          <p data-testid="signin-created" role="status" className="mt-4 rounded-md bg-green-50 px-3 py-2 text-center text-sm text-green-800">
            Your account is ready. Sign in to continue.
          </p>
        )}
        <p className="mt-6 text-center text-sm text-slate-600">
          New here? Open the invitation link your organisation sent you, or ask to join it.
        </p>
      </div>
    </main>
  );
}
