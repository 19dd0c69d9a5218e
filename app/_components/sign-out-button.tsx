"use client";

/** next-auth's client (with its Babel helpers) loads on the click, not with every page that shows the button. */
async function signOut(callbackUrl: string) {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl });
}

/** Signs out, then goes to `callbackUrl` (default the sign-in page); `label` names what happens next. */
export function SignOutButton({ className, callbackUrl = "/signin", label = "Sign out", testId = "sign-out" }: {
  className?: string; callbackUrl?: string; label?: string; testId?: string;
}) {
  return (
    <button type="button" data-testid={testId} onClick={() => void signOut(callbackUrl)}
      className={className ?? "rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"}>
      {label}
    </button>
  );
}
