import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "../auth-card.tsx";
import { ForgotPasswordForm } from "./forgot-password-form.tsx";

export const metadata: Metadata = { title: "Forgot password" };

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const email = typeof params.email === "string" ? params.email.slice(0, 254) : "";
  return (
    <AuthCard title="Reset your password" footer={<Link href="/signin" className="font-medium text-brand underline-offset-2 hover:underline">Back to sign in</Link>}>
      <ForgotPasswordForm defaultEmail={email} />
    </AuthCard>
  );
}
