"use client";
import type { ComponentPropsWithRef, ReactNode } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger" | "danger-outline" | "ghost";
export type ButtonSize = "sm" | "md";

const BASE =
  "inline-flex items-center justify-center gap-2 rounded-md font-semibold shadow-sm transition-colors disabled:cursor-not-allowed disabled:opacity-60";
const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-brand text-white hover:bg-brand-dark",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
  danger: "bg-red-600 text-white hover:bg-red-700",
  // For the button that opens a destructive confirmation: marked as dangerous without shouting like the confirm itself.
  "danger-outline": "border border-red-300 bg-white text-red-700 hover:bg-red-50",
  ghost: "text-slate-700 shadow-none hover:bg-slate-100",
};
const SIZES: Record<ButtonSize, string> = { sm: "px-3 py-1.5 text-sm", md: "px-4 py-2 text-sm" };

export function buttonClasses({ variant = "primary", size = "md", block = false }: { variant?: ButtonVariant; size?: ButtonSize; block?: boolean } = {}): string {
  return `${BASE} ${VARIANTS[variant]} ${SIZES[size]}${block ? " w-full" : ""}`;
}

export type ButtonProps = ComponentPropsWithRef<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Full width. */
  block?: boolean;
  /** While true the button is disabled and announces itself busy; `pendingLabel` replaces the label if given. */
  pending?: boolean;
  pendingLabel?: ReactNode;
};

/**
 * A button that defaults to type="button" (so it never submits a form by accident; pass type="submit" to submit).
 * While `pending` it stays focusable-but-disabled with aria-busy so a double click cannot send twice.
 */
export function Button({ variant, size, block, pending = false, pendingLabel, className, type = "button", disabled, children, ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={`${buttonClasses({ variant, size, block })}${className ? ` ${className}` : ""}`}
      {...rest}
    >
      {pending && pendingLabel !== undefined ? pendingLabel : children}
    </button>
  );
}
