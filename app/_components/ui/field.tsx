"use client";
import { useId, type ComponentPropsWithRef, type ReactNode } from "react";

export const inputClasses = (invalid: boolean) =>
  `mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:ring-1 ${
    invalid ? "border-red-400 focus:border-red-500 focus:ring-red-500" : "border-slate-300 focus:border-brand focus:ring-brand"
  }`;

export type TextFieldProps = Omit<ComponentPropsWithRef<"input">, "children"> & {
  label: ReactNode;
  /** Help shown under the input and linked with aria-describedby. */
  hint?: ReactNode;
  /** Error message: sets aria-invalid and is linked with aria-describedby (announced when it appears). */
  error?: string | null;
  /** Classes for the wrapping div. */
  className?: string;
};

/**
 * Label + input + hint + error. The id comes from useId (or `id`), so it is stable across renders: the input is
 * never remounted when an error appears or goes away, and focus and caret stay where they were. Works with
 * react-hook-form's register(): `<TextField label="Email" {...form.register("email")} error={errors.email?.message} />`
 * (the ref is passed through to the input).
 */
export function TextField({ label, hint, error, className, id, ...input }: TextFieldProps) {
  return (
    <FieldShell label={label} hint={hint} error={error} className={className} id={id} describedBy={input["aria-describedby"]}>
      {(a) => <input {...input} {...a} className={inputClasses(!!error)} />}
    </FieldShell>
  );
}

type ShellProps = { label: ReactNode; hint?: ReactNode; error?: string | null; className?: string; id?: string; describedBy?: string };

/** The label/hint/error wiring of TextField for any control: the render prop gets the id, aria-invalid and aria-describedby. */
function FieldShell({ label, hint, error, className, id, describedBy, children }: ShellProps & {
  children: (a: { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined }) => ReactNode;
}) {
  const auto = useId();
  const controlId = id ?? `f${auto}`;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const ids = [hint ? hintId : null, error ? errorId : null, describedBy].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={controlId} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children({ id: controlId, "aria-invalid": error ? true : undefined, "aria-describedby": ids })}
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export type SelectFieldProps = Omit<ComponentPropsWithRef<"select">, "className"> & Omit<ShellProps, "describedBy">;

/** Label + select + hint + error, wired like TextField. */
export function SelectField({ label, hint, error, className, id, children, ...select }: SelectFieldProps) {
  return (
    <FieldShell label={label} hint={hint} error={error} className={className} id={id} describedBy={select["aria-describedby"]}>
      {(a) => <select {...select} {...a} className={inputClasses(!!error)}>{children}</select>}
    </FieldShell>
  );
}

export type TextAreaFieldProps = Omit<ComponentPropsWithRef<"textarea">, "className" | "children"> & Omit<ShellProps, "describedBy">;

/** Label + textarea + hint + error, wired like TextField. */
export function TextAreaField({ label, hint, error, className, id, ...area }: TextAreaFieldProps) {
  return (
    <FieldShell label={label} hint={hint} error={error} className={className} id={id} describedBy={area["aria-describedby"]}>
      {(a) => <textarea {...area} {...a} className={`${inputClasses(!!error)} font-mono`} />}
    </FieldShell>
  );
}
