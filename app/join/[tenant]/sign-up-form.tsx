"use client";
/**
 * Sign up and ask to join (joinRequests.signUp); shown for tenants that take requests. After the sign-up
 * the person is signed in with the password just chosen, so the page reloads on its own state: "Your request is
 * waiting for an admin". The server's answer stays neutral (an address that already had an account got nothing
 * written); for such an address this sign-in fails, or succeeds only for the account's owner, who knows it exists,
 * so the neutral sentence and its "Sign in" link stay for that case and nothing new is learnt about the address.
 */
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand focus:ring-1 focus:ring-brand";

export function SignUpForm({ tenant }: { tenant: string }) {
  const router = useRouter();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const signUp = trpc.joinRequests.signUp.useMutation({
    onError: (e) => setResult({ ok: false, text: e.message }),
  });
  if (result?.ok) {
    return (
      <div data-testid="join-result" role="status" className="mt-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
        {result.text} <a href={`/signin?callbackUrl=${encodeURIComponent(`/join/${tenant}`)}`} className="font-medium underline">Sign in</a>
      </div>
    );
  }
  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? "");
    if (v("password").length < 12) {
      setResult({ ok: false, text: "The password must be at least 12 characters." });
      return;
    }
    setResult(null);
    const credentials = { email: v("email"), password: v("password") };
    signUp.mutate(
      { tenant, ...credentials, firstName: v("firstName"), lastName: v("lastName"), message: v("message").trim() || null },
      {
        onSuccess: async (r) => {
          setSigningIn(true);
          const session = await signIn("credentials", { ...credentials, redirect: false }).catch(() => null);
          if (session && !session.error) {
            // The page renders again for the signed-in person: their request, pending.
            router.refresh();
            return;
          }
          setSigningIn(false);
          setResult({ ok: true, text: r.message });
        },
      },
    );
  }
  return (
    <form data-testid="join-form" onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
      {result && <p data-testid="join-result" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{result.text}</p>}
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="su-first" className="block text-sm font-medium text-slate-700">First name</label>
          <input id="su-first" name="firstName" autoComplete="given-name" required maxLength={100} className={input} />
        </div>
        <div>
          <label htmlFor="su-last" className="block text-sm font-medium text-slate-700">Last name</label>
          <input id="su-last" name="lastName" autoComplete="family-name" required maxLength={100} className={input} />
        </div>
      </div>
      <div>
        <label htmlFor="su-email" className="block text-sm font-medium text-slate-700">Email</label>
        <input id="su-email" name="email" type="email" autoComplete="email" required className={input} />
      </div>
      <div>
        <label htmlFor="su-password" className="block text-sm font-medium text-slate-700">Password</label>
        <input id="su-password" name="password" type="password" autoComplete="new-password" required minLength={12} aria-describedby="su-password-hint" className={input} />
        <p id="su-password-hint" className="mt-1 text-xs text-slate-600">At least 12 characters, not a common password.</p>
      </div>
      <div>
        <label htmlFor="su-message" className="block text-sm font-medium text-slate-700">Message to the admins (optional)</label>
        <textarea id="su-message" name="message" rows={3} maxLength={2000} className={input} />
      </div>
      <button type="submit" disabled={signUp.isPending || signingIn}
        className="w-full rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-dark focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2 disabled:opacity-60">
        {signingIn ? "Signing you in…" : signUp.isPending ? "Creating your account…" : "Sign up and ask to join"}
      </button>
    </form>
  );
}
