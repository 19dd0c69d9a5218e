"use client";
/**
 * The frame of a wide table. On a narrow screen the table scrolls sideways inside this frame instead of being clipped
 * by its card or widening the whole page, and the person can tell: a shadow fades in at each edge that hides columns
 * and a line under the table says which way to scroll. The scroller is a named, focusable region so keyboard users
 * can scroll it with the arrow keys (axe: scrollable-region-focusable) and screen readers announce what it holds.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

type Edges = { left: boolean; right: boolean };

export function ScrollTable({ label, children, "data-testid": testId }: { label: string; children: ReactNode; "data-testid"?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const hintId = useId();
  // Both false on the server and before the first measurement: no hint is promised until overflow is seen.
  const [edges, setEdges] = useState<Edges>({ left: false, right: false });

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      // A pixel of slack: fractional widths at some zoom levels leave scrollWidth a hair above clientWidth.
      const max = el.scrollWidth - el.clientWidth;
      const next = { left: el.scrollLeft > 1, right: el.scrollLeft < max - 1 };
      setEdges((prev) => (prev.left === next.left && prev.right === next.right ? prev : next));
    };
    measure();
    el.addEventListener("scroll", measure, { passive: true });
    // The table changes width when rows arrive or the window turns, not only when the frame does.
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    return () => {
      el.removeEventListener("scroll", measure);
      observer.disconnect();
    };
  }, []);

  const overflowing = edges.left || edges.right;
  const hint = edges.right && edges.left ? "Scroll sideways for more columns" : edges.right ? "Scroll right for more columns" : "Scroll left for the first columns";
  return (
    <div className="rounded-xl border border-slate-200 bg-white" data-testid={testId}>
      <div className="relative">
        {/* relative: the containing block of absolutely placed cells' content (sr-only labels), which would otherwise
            escape the scroller and widen the page. */}
        <div ref={ref} role="region" aria-label={label} tabIndex={0} aria-describedby={overflowing ? hintId : undefined}
          className={`relative overflow-x-auto ${overflowing ? "rounded-t-xl" : "rounded-xl"}`}>
          {children}
        </div>
        <div aria-hidden className={`pointer-events-none absolute inset-y-0 left-0 w-8 ${overflowing ? "rounded-tl-xl" : "rounded-l-xl"} bg-linear-to-r from-slate-900/15 to-transparent transition-opacity ${edges.left ? "opacity-100" : "opacity-0"}`} />
        <div aria-hidden className={`pointer-events-none absolute inset-y-0 right-0 w-8 ${overflowing ? "rounded-tr-xl" : "rounded-r-xl"} bg-linear-to-l from-slate-900/15 to-transparent transition-opacity ${edges.right ? "opacity-100" : "opacity-0"}`} />
      </div>
      {overflowing && (
        <p id={hintId} data-testid="scroll-hint" className="flex items-center justify-between gap-2 border-t border-slate-100 px-3 py-1.5 text-xs text-slate-600">
          <span aria-hidden>{edges.left ? "←" : ""}</span>
          <span>{hint}</span>
          <span aria-hidden>{edges.right ? "→" : ""}</span>
        </p>
      )}
    </div>
  );
}
