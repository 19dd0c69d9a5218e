"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

export type NavItem = { href: string; label: string };

/**
 * The item for `pathname`: the one whose href is the longest prefix of it, so Overview (`/t/x`, a prefix of every
 * page) is current only on itself and exactly one item is ever marked.
 */
export function currentItem(items: readonly NavItem[], pathname: string): NavItem | undefined {
  let best: NavItem | undefined;
  for (const item of items) {
    const matches = pathname === item.href || pathname.startsWith(item.href + "/");
    if (matches && (!best || item.href.length > best.href.length)) best = item;
  }
  return best;
}

/**
 * A sidebar on wide screens. On phones a "Menu" button opens the whole list (every section visible, none scrolled
 * out of sight); it closes on Esc, on a choice, and when the page changes, and focus goes back to the button on Esc.
 */
export function TenantNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  const current = currentItem(items, pathname);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => setOpen(false), [pathname]);

  return (
    <nav aria-label="Tenant sections" data-testid="tenant-nav" className="border-b border-slate-200 bg-white md:w-56 md:shrink-0 md:border-b-0 md:border-r"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}>
      <div className="flex items-center justify-between px-3 py-2 md:hidden">
        <span className="text-sm font-medium text-slate-700">{current?.label ?? "Sections"}</span>
        <button ref={button} type="button" aria-expanded={open} aria-controls={listId} data-testid="nav-menu-button"
          onClick={() => setOpen((o) => !o)}
          className="inline-flex items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
          </svg>
          Menu
        </button>
      </div>
      <ul id={listId} className={`${open ? "flex" : "hidden"} flex-col gap-1 px-2 pb-2 md:flex md:px-3 md:py-4`}>
        {items.map((item) => {
          const active = item === current;
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={active ? "page" : undefined} onClick={() => setOpen(false)}
                className={`block rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-light text-brand" : "text-slate-700 hover:bg-slate-100"}`}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
