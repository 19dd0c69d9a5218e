"use client";
import {
  cloneElement,
  createContext,
  isValidElement,
  lazy,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  type Ref,
} from "react";
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
 * the trigger (pass the opener as `trigger` even when controlled). Radix sets inline style attributes only (allowed
 * by the CSP's style-src-attr), no <style> or <script>.
 *
 * The Radix part (dialog-content.tsx) is not in the page's first load: it is fetched after hydration, and a dialog
 * opened before it arrives appears when it does. Once opened, the content stays mounted so Radix sees it close.
 */
export function Dialog({ open, onOpenChange, trigger, ...content }: DialogProps) {
  const [inner, setInner] = useState(false);
  const opened = useRef(false);
  const triggerRef = useRef<HTMLElement>(null);
  const isOpen = open ?? inner;
  const setOpen = useCallback(
    (v: boolean) => {
      if (open === undefined) setInner(v);
      onOpenChange?.(v);
    },
    [open, onOpenChange],
  );
  const close = useCallback(() => setOpen(false), [setOpen]);
  useEffect(() => void loadContent().catch(() => {}), []);
  if (isOpen) opened.current = true;
  return (
    <>
      {isValidElement<TriggerProps>(trigger) &&
        cloneElement(trigger, {
          ref: triggerRef,
          "aria-haspopup": "dialog",
          "aria-expanded": isOpen,
          "data-state": isOpen ? "open" : "closed",
          onClick: (e: MouseEvent<HTMLElement>) => {
            trigger.props.onClick?.(e);
            if (!e.defaultPrevented) setOpen(true);
          },
        })}
      {opened.current && (
        <Suspense fallback={null}>
          <CloseContext.Provider value={close}>
            <DialogContent {...content} open={isOpen} onOpenChange={setOpen} returnFocusTo={triggerRef} />
          </CloseContext.Provider>
        </Suspense>
      )}
    </>
  );
}

type TriggerProps = {
  onClick?: (e: MouseEvent<HTMLElement>) => void;
  ref?: Ref<HTMLElement>;
  "aria-haspopup"?: "dialog";
  "aria-expanded"?: boolean;
  "data-state"?: "open" | "closed";
};
const loadContent = () => import("./dialog-content.tsx");
const DialogContent = lazy(() => loadContent().then((m) => ({ default: m.DialogContent })));
const CloseContext = createContext<() => void>(() => {});

/** Wrap a button so it closes the surrounding dialog: <DialogClose><Button variant="secondary">Cancel</Button></DialogClose>. */
export function DialogClose({ children }: { children: ReactElement<TriggerProps> }) {
  const close = useContext(CloseContext);
  return cloneElement(children, {
    onClick: (e: MouseEvent<HTMLElement>) => {
      children.props.onClick?.(e);
      if (!e.defaultPrevented) close();
    },
  });
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
