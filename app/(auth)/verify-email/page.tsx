import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "../auth-card.tsx";
import { VerifyEmailPanel } from "./verify-email-panel.tsx";

// The link carries a secret: no Referer may take it elsewhere (the proxy also sends Referrer-Policy: no-referrer).
export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };

/**
 * `/verify-email?token=…` from the email. Nothing is used on GET (mail scanners follow links): the panel takes the
 * token out of the address bar at once and uses it when the person presses the button (a POST with the token in
 * the body), then says verified, expired or already used.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token.slice(0, 200) : "";
  return (
    <AuthCard title="Confirm your email address" footer={<Link href="/account" className="font-medium text-brand underline-offset-2 hover:underline">Go to your account</Link>}>
      <VerifyEmailPanel token={token} />
    </AuthCard>
  );
}
