"use client";
import * as RadixDialog from "@radix-ui/react-dialog";
import { useState, type ReactNode } from "react";
import { Button, type ButtonVariant } from "./button.tsx";

export type DialogProps = {
  /** Controlled open state; leave both out and pass `trigger` for an uncontrolled dialog. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** An element (usually a <Button>) that opens the dialog; rendered asChild so it keeps its own semantics. */
  trigger?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons row at the bottom; use <DialogClose> for a cancel button. */
  footer?: ReactNode;
  /** "lg" for dialogs holding a list or a form (copy/remove units); "md" (the default) for confirmations. */
  size?: "md" | "lg";
  "data-testid"?: string;
};

/**
 * A modal dialog over Radix Dialog: role="dialog" with aria-labelledby/aria-describedby from the title and
 * description, focus moved in and trapped, Escape, the close button and a click outside close it, focus returns to
 * the trigger (Radix restores focus only to its own Trigger, so pass the opener as `trigger` even when controlled).
 * Radix sets inline style attributes only (allowed by the CSP's style-src-attr), no <style> or <script>.
 */
export function Dialog({ open, onOpenChange, trigger, title, description, children, footer, size = "md", "data-testid": testId }: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>}
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixDialog.Content
          data-testid={testId}
          // Radix makes the rest of the page inert (aria-hidden) but does not say so on the dialog; this tells
          // assistive tech that only the dialog's content is available.
          aria-modal="true"
          // Without a description Radix warns unless aria-describedby is explicitly undefined.
          {...(description ? {} : { "aria-describedby": undefined })}
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

/** Wrap a button so it closes the surrounding dialog: <DialogClose><Button variant="secondary">Cancel</Button></DialogClose>. */
export function DialogClose({ children }: { children: ReactNode }) {
  return <RadixDialog.Close asChild>{children}</RadixDialog.Close>;
}

export type ConfirmDialogProps = Omit<DialogProps, "footer" | "children"> & {
  children?: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel?: ReactNode;
  /** "danger" for destructive actions (the default). */
  variant?: ButtonVariant;
  /** Called on confirm; the dialog closes when it resolves, and stays open (button pending) while it runs. */
  onConfirm: () => void | Promise<unknown>;
  pending?: boolean;
  /** data-testid of the confirm button. */
  confirmTestId?: string;
};

/**
 * The replacement for window.confirm(): a dialog with a title, a description and Cancel / confirm buttons.
 * Cancel has focus first (Radix focuses the first focusable element), so Enter never confirms by accident.
 */
export function ConfirmDialog({ confirmLabel, cancelLabel = "Cancel", variant = "danger", onConfirm, pending, confirmTestId, open, onOpenChange, children, ...rest }: ConfirmDialogProps) {
  const [inner, setInner] = useState(false);
  const [running, setRunning] = useState(false);
  const isOpen = open ?? inner;
  const setOpen = (v: boolean) => {
    if (open === undefined) setInner(v);
    onOpenChange?.(v);
  };
  async function confirm() {
    setRunning(true);
    try {
      await onConfirm();
      setOpen(false);
    } finally {
      setRunning(false);
    }
  }
  return (
    <Dialog
      {...rest}
      open={isOpen}
      onOpenChange={setOpen}
      footer={
        <>
          <DialogClose>
            <Button variant="secondary">{cancelLabel}</Button>
          </DialogClose>
          <Button variant={variant} pending={pending || running} onClick={confirm} data-testid={confirmTestId}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
