"use client";
import { useRouter } from "next/navigation";

export function TenantSwitcher({ current, tenants }: { current: string; tenants: { slug: string; name: string }[] }) {
  const router = useRouter();
  return (
    <div className="min-w-0">
      <label htmlFor="tenant-switcher" className="sr-only">Switch tenant</label>
      <select id="tenant-switcher" data-testid="tenant-switcher" value={current}
        onChange={(e) => router.push(`/t/${e.target.value}`)}
        className="w-full truncate rounded-md border border-slate-300 bg-white py-1.5 pl-2 pr-8 text-sm sm:w-auto sm:max-w-xs">
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>{t.name}</option>
        ))}
      </select>
    </div>
  );
}
