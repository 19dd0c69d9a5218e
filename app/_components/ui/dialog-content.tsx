"use client";
/**
 * The Radix half of <Dialog>, loaded on demand (dialog.tsx warms it after hydration): Radix Dialog with its focus
 * trap and layers is about 15 kB gzipped, which every admin page with a delete button would otherwise load first.
 */
import * as RadixDialog from "@radix-ui/react-dialog";
import type { RefObject } from "react";
import type { DialogProps } from "./dialog.tsx";

type ContentProps = Omit<DialogProps, "open" | "onOpenChange" | "trigger"> & {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The opener: Radix returns focus only to its own Trigger, which lives outside this module. */
  returnFocusTo: RefObject<HTMLElement | null>;
};

export function DialogContent({ open, onOpenChange, returnFocusTo, title, description, children, footer, size = "md", "data-testid": testId }: ContentProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixDialog.Content
          data-testid={testId}
          // Radix makes the rest of the page inert (aria-hidden) but does not say so on the dialog; this tells
          // assistive tech that only the dialog's content is available.
          aria-modal="true"
          // Without a description Radix warns unless aria-describedby is explicitly undefined.
          {...(description ? {} : { "aria-describedby": undefined })}
          onCloseAutoFocus={(e) => {
            if (!returnFocusTo.current) return; // no opener: Radix's default (the element focused before opening)
            e.preventDefault();
            returnFocusTo.current.focus();
          }}
          className={`fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] ${size === "lg" ? "max-w-2xl" : "max-w-md"} -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl border border-slate-200 bg-white p-5 shadow-xl focus:outline-none`}
        >
          <RadixDialog.Title className="pr-8 text-base font-semibold text-slate-900">{title}</RadixDialog.Title>
          {description && <RadixDialog.Description className="mt-1 text-sm text-slate-600">{description}</RadixDialog.Description>}
          {children && <div className="mt-4">{children}</div>}
          {footer && <div className="mt-5 flex flex-wrap justify-end gap-2">{footer}</div>}
          {/* Last in the DOM so the first focusable element (a confirmation's Cancel) gets focus on open; drawn top right. */}
          <RadixDialog.Close
            aria-label="Close"
            className="absolute right-3 top-3 inline-flex h-8 w-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand"
          >
            <span aria-hidden="true" className="text-lg leading-none">×</span>
          </RadixDialog.Close>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
