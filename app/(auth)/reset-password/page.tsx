import type { Metadata } from "next";
import Link from "next/link";
import { api } from "@/app/_trpc/rsc.ts";
import { AuthCard } from "../auth-card.tsx";
import { ResetPasswordForm } from "./reset-password-form.tsx";

// The link carries a secret: no Referer may take it elsewhere (the proxy also sends Referrer-Policy: no-referrer).
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

const WHY: Record<string, string> = {
  expired: "This reset link has expired: links work for 30 minutes.",
  used: "This reset link was already used, or a newer one was sent since.",
  invalid: "This reset link is not valid.",
};

/**
 * `/reset-password?token=…` from the email. The page checks the link (using nothing), then the form takes the token
 * out of the address bar at once and sends it only in the POST body with the new password.
 */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token.slice(0, 200) : "";
  const { state } = token ? await api.account.checkResetToken({ token }) : { state: "invalid" as const };
  const back = <Link href="/signin" className="font-medium text-brand underline-offset-2 hover:underline">Back to sign in</Link>;
  if (state !== "valid") {
    return (
      <AuthCard title="Choose a new password" footer={back}>
        <p data-testid="reset-link-state" data-state={state} role="alert" className="text-sm text-slate-700">{WHY[state]}</p>
        <Link href="/forgot-password" className="mt-4 inline-block text-sm font-medium text-brand underline">Send a new link</Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" footer={back}>
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}
