"use client";
/** The account page's two-factor line: on or off, and the way to the set-up page. */
import Link from "next/link";
import { buttonClasses } from "@/app/_components/ui/button.tsx";
import { trpc } from "@/app/_trpc/react.tsx";

export function TwoFactorSummary() {
  const [status] = trpc.account.twoFactor.useSuspenseQuery();
  return (
    <section aria-labelledby="two-factor-h" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h2 id="two-factor-h" className="text-base font-semibold">Two-factor authentication</h2>
          <p className="mt-1 text-sm text-slate-600" data-testid="account-two-factor">
            {status.enabled ? `On · ${status.recoveryCodesLeft} recovery codes left` : "Off: signing in needs only your password."}
          </p>
        </div>
        <Link href="/account/two-factor" className={buttonClasses({ variant: "secondary", size: "sm" })} data-testid="manage-two-factor">
          {status.enabled ? "Manage" : "Set up"}
        </Link>
      </div>
    </section>
  );
}
