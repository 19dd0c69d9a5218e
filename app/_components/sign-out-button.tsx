"use client";

/** next-auth's client (with its Babel helpers) loads on the click, not with every page that shows the button. */
async function signOut() {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl: "/signin" });
}

export function SignOutButton({ className = "" }: { className?: string }) {
  return (
    <button type="button" data-testid="sign-out" onClick={() => void signOut()}
      className={`rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 ${className}`}>
      Sign out
    </button>
  );
}
