import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { redirectToSignIn } from "@/app/_components/sign-in-redirect.ts";
import { SignOutButton } from "@/app/_components/sign-out-button.tsx";
import { TenantNav, type NavItem } from "@/app/_components/tenant-nav.tsx";
import { TenantSwitcher } from "@/app/_components/tenant-switcher.tsx";
import { auth } from "@/server/auth/index.ts";
import { trpcCode, trpcMessage, trpcReason } from "@/server/trpc/errors.ts";
import { api } from "@/app/_trpc/rsc.ts";

type Props = { children: React.ReactNode; params: Promise<{ tenant: string }> };

/** Sections and the permission that reveals each (the services enforce the same permissions again). */
const SECTIONS: { path: string; label: string; visible: (p: Set<string>) => boolean }[] = [
  { path: "members", label: "Members", visible: (p) => p.has("members.read") },
  { path: "pending", label: "Pending", visible: (p) => p.has("members.invite") || p.has("requests.manage") },
  { path: "roles", label: "Roles", visible: (p) => p.has("members.read") || p.has("roles.manage") },
  { path: "units", label: "Units", visible: (p) => p.has("members.read") || p.has("units.manage") },
  // Everyone may hold personal tokens; tokens.manage adds the partner tokens.
  { path: "tokens", label: "Tokens", visible: () => true },
  { path: "audit", label: "Audit", visible: (p) => p.has("audit.read") },
  { path: "settings", label: "Settings", visible: (p) => p.has("settings.manage") },
];

export default async function TenantLayout({ children, params }: Props) {
  const { tenant: slug } = await params;
  const session = await auth();
  if (!session) return redirectToSignIn(`/t/${slug}`);

  let current;
  try {
    current = await api.tenants.current({ tenant: slug });
  } catch (e) {
    if (trpcCode(e) === "NOT_FOUND") notFound();
    if (trpcCode(e) === "UNAUTHORIZED") return redirectToSignIn(`/t/${slug}`);
    // The tenant requires two-factor and this member has none yet: enrol first, then come back here.
    if (trpcReason(e) === "TWO_FACTOR_REQUIRED") redirect(`/account/two-factor?next=${encodeURIComponent(`/t/${slug}`)}`);
    return (
      <main id="main" className="mx-auto max-w-lg px-4 py-16 text-center">
        <h1 className="text-xl font-semibold">No access</h1>
        <p className="mt-2 text-slate-600" data-testid="tenant-denied">{trpcMessage(e)}</p>
        <Link href="/account" className="mt-6 inline-block text-brand underline">Go to your account</Link>
      </main>
    );
  }
  const tenants = await api.tenants.list();
  const permissions = new Set(current.me.permissions);
  const items: NavItem[] = [
    { href: `/t/${current.slug}`, label: "Overview" },
    ...SECTIONS.filter((s) => s.visible(permissions)).map((s) => ({ href: `/t/${current.slug}/${s.path}`, label: s.label })),
  ];

  return (
    <div data-testid="tenant-shell" className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-10 flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 sm:px-4">
        <div className="order-1 flex min-w-0 items-center gap-2 sm:gap-3">
          <Link href="/" className="shrink-0 text-lg font-bold text-brand">Roster</Link>
          <span aria-hidden className="hidden text-slate-300 sm:inline">/</span>
          <span data-testid="tenant-name" className="hidden truncate font-medium sm:inline">{current.name}</span>
        </div>
        {/* On phones the switcher takes its own row so it never covers the account links. */}
        <div className="order-3 w-full sm:order-2 sm:w-auto">
          <TenantSwitcher current={current.slug} tenants={tenants.map((t) => ({ slug: t.slug, name: t.name }))} />
        </div>
        <div className="order-2 ml-auto flex shrink-0 items-center gap-1 sm:order-3">
          <Link href="/account" className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
            <span className="hidden sm:inline">{session.user.name}</span>
            <span className="sm:hidden">Account</span>
          </Link>
          <SignOutButton />
        </div>
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        <TenantNav items={items} />
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-8">{children}</main>
      </div>
    </div>
  );
}
