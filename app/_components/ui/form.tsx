"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useRef, type ComponentPropsWithoutRef, type ReactNode } from "react";
import {
  useForm,
  type DefaultValues,
  type FieldPath,
  type FieldValues,
  type Resolver as RhfResolver,
  type SubmitErrorHandler,
  type SubmitHandler,
  type UseFormProps,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import { SelectField, TextAreaField, TextField, type SelectFieldProps, type TextAreaFieldProps, type TextFieldProps } from "./field.tsx";

// Zod 4 compiles object parsers with new Function() when it may, and probes for that with an eval: under our CSP
// (no 'unsafe-eval') the probe is a reported violation. Jitless parsing is plenty fast for forms. Zod reads this
// object (its z.config store) when a schema is built, and creates it only if absent, so setting it here works
// whether zod loads before or after, without making zod part of every page that has a form: modules that build a
// schema import the primitives first, and lazily loaded schemas are built later still.
const zodConfig = ((globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig ??= {});
zodConfig.jitless = true;

/** A zod object schema whose input is a form's values. */
type FormSchema = z.ZodType<FieldValues, FieldValues>;
export type ZodForm<S extends FormSchema> = UseFormReturn<z.input<S>, unknown, z.output<S>>;

/**
 * react-hook-form with the zod resolver: validation runs on submit and then again as the person corrects a field.
 * `handleSubmit` hands the parsed (z.output) values to the submit handler.
 *
 * `schema` may be a loader, `() => import("…schema.ts").then((m) => m.ZX)`: zod (about 40 kB gzipped) then stays out
 * of the page's first load, and is fetched once the form has hydrated, long before anyone submits; a submit made
 * sooner waits for it. Admin pages pass loaders to keep their first-load JavaScript under budget.
 */
export function useZodForm<S extends FormSchema>(
  schema: S | (() => Promise<S>),
  defaultValues?: DefaultValues<z.input<S>>,
  options: Omit<UseFormProps<z.input<S>, unknown, z.output<S>>, "resolver" | "defaultValues"> = {},
): ZodForm<S> {
  const resolver = useRef<Resolver | null>(null);
  resolver.current ??= typeof schema === "function" ? lazyResolver(schema) : eagerResolver(schema);
  const { preload } = resolver.current;
  useEffect(() => preload(), [preload]);
  return useForm<z.input<S>, unknown, z.output<S>>({
    resolver: resolver.current.resolve as never,
    defaultValues,
    mode: "onSubmit",
    reValidateMode: "onChange",
    ...options,
  });
}

// The resolver's overloads cannot follow a generic schema; useZodForm's signature states what it returns.
type Resolve = RhfResolver<FieldValues, unknown, FieldValues>;
type Resolver = { resolve: Resolve; preload: () => void };

function eagerResolver(schema: FormSchema): Resolver {
  return { resolve: zodResolver(schema as never) as never, preload: () => {} };
}

function lazyResolver(load: () => Promise<FormSchema>): Resolver {
  let loading: Promise<Resolve> | null = null;
  const get = () =>
    (loading ??= load().then(
      (schema) => zodResolver(schema as never) as never,
      (e: unknown) => {
        loading = null; // offline a moment ago: the next submit tries again
        throw e;
      },
    ));
  return {
    resolve: async (...args) => {
      try {
        return await (await get())(...args);
      } catch {
        return { values: {}, errors: { root: { type: "load", message: "The form could not load its checks. Check your connection and try again." } } };
      }
    },
    preload: () => void get().catch(() => {}),
  };
}

type FormProps<TValues extends FieldValues, TOutput> = Omit<ComponentPropsWithoutRef<"form">, "onSubmit" | "children"> & {
  form: UseFormReturn<TValues, unknown, TOutput>;
  onSubmit: SubmitHandler<TOutput>;
  /** Called when the browser-side check fails (react-hook-form has already focused the first invalid field). */
  onInvalid?: SubmitErrorHandler<TValues>;
  children: ReactNode;
  /** data-testid of the root error region. */
  errorTestId?: string;
  /** A message to show before the first submit (e.g. an error passed in the URL). */
  initialError?: string | null;
};

/**
 * <form noValidate> wired to handleSubmit, with the root error (form.setError("root", …), or applyServerError)
 * shown above the fields in a role="alert" region. react-hook-form clears the root error on each new submit.
 */
export function Form<TValues extends FieldValues, TOutput>({ form, onSubmit, onInvalid, children, errorTestId, initialError, className, ...rest }: FormProps<TValues, TOutput>) {
  const { errors, submitCount } = form.formState;
  const message = errors.root?.message ?? (submitCount === 0 ? initialError : null);
  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit, onInvalid)} className={className ?? "space-y-4"} {...rest}>
      {message && (
        <p data-testid={errorTestId} role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {message}
        </p>
      )}
      {children}
    </form>
  );
}

/**
 * A field's problem as shown under it. Schema messages are fragments written to follow the field's name ("must be
 * a single valid email address"); under the label they read as a sentence. A bare "is …" fragment gets the label
 * back ("Name is required."), since "Is required." reads as a stammer.
 */
export function fieldMessage(message: string, label?: ReactNode): string {
  const text = message.trim();
  if (!text) return text;
  const named = typeof label === "string" && /^is\s/.test(text) ? `${label} ${text}` : text;
  const sentence = named[0]!.toUpperCase() + named.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function errorOf<TValues extends FieldValues, TOutput>(form: UseFormReturn<TValues, unknown, TOutput>, name: FieldPath<TValues>, label: ReactNode): string | null {
  const message = form.getFieldState(name, form.formState).error?.message;
  return typeof message === "string" && message ? fieldMessage(message, label) : null;
}

type Registered<TValues extends FieldValues, TOutput> = { form: UseFormReturn<TValues, unknown, TOutput>; name: FieldPath<TValues> };
type Unregistered = "form" | "name" | "error" | "onChange" | "onBlur" | "ref";

/** A TextField registered on `form` under `name`, showing that field's error. */
export function FormTextField<TValues extends FieldValues, TOutput>({ form, name, ...props }: Omit<TextFieldProps, Unregistered> & Registered<TValues, TOutput>) {
  return <TextField defaultValue={initialOf(form, name)} {...props} {...form.register(name)} error={errorOf(form, name, props.label)} />;
}

/** A SelectField registered on `form` under `name`, showing that field's error. */
export function FormSelectField<TValues extends FieldValues, TOutput>({ form, name, ...props }: Omit<SelectFieldProps, Unregistered> & Registered<TValues, TOutput>) {
  return <SelectField defaultValue={initialOf(form, name)} {...props} {...form.register(name)} error={errorOf(form, name, props.label)} />;
}

/** A TextAreaField registered on `form` under `name`, showing that field's error. */
export function FormTextAreaField<TValues extends FieldValues, TOutput>({ form, name, ...props }: Omit<TextAreaFieldProps, Unregistered> & Registered<TValues, TOutput>) {
  return <TextAreaField defaultValue={initialOf(form, name)} {...props} {...form.register(name)} error={errorOf(form, name, props.label)} />;
}

/**
 * A field's value as the server renders it. register() leaves inputs uncontrolled and fills them only once hydrated,
 * so without this the server HTML shows empty fields, and whatever is typed before hydration is overwritten.
 */
function initialOf<TValues extends FieldValues, TOutput>(form: Registered<TValues, TOutput>["form"], name: Registered<TValues, TOutput>["name"]): string | undefined {
  const v: unknown = form.getValues(name);
  return v === undefined || v === null ? undefined : Array.isArray(v) ? v.join("\n") : String(v);
}

/**
 * The outcome of a successful submit, in role="status". It takes focus when it appears or its `version` changes,
 * so a keyboard or screen-reader user hears the result and continues from it instead of from <body> (the submit
 * button is disabled while pending, which drops focus).
 */
export function FormSuccess({ version, children, className, ...rest }: Omit<ComponentPropsWithoutRef<"div">, "role" | "tabIndex"> & { version: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [version]);
  return (
    <div ref={ref} role="status" tabIndex={-1} className={`rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-green-600 ${className ?? ""}`} {...rest}>
      {children}
    </div>
  );
}

/** tRPC's dotted/bracketed paths ("items[0].name") as react-hook-form paths ("items.0.name"). */
function toFieldPath(path: string): string {
  return path.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");
}

/**
 * Puts a failed mutation's error onto the form: each `data.issues` entry ({ path, message }, from zod input
 * validation or an AppError) whose path is a field of the form becomes that field's error (the first one gets
 * focus); anything else, or an error without issues, becomes the root error with the error's message (the server
 * names the field by its label: labels.schema.ts).
 * Returns true if at least one field error was set.
 */
export function applyServerError<TValues extends FieldValues, TOutput>(
  form: UseFormReturn<TValues, unknown, TOutput>,
  error: unknown,
  fallback = "Something went wrong. Try again.",
): boolean {
  const e = error as { message?: unknown; data?: { issues?: unknown } | null } | null;
  const issues = Array.isArray(e?.data?.issues) ? (e.data.issues as Array<{ path?: unknown; message?: unknown; label?: unknown }>) : [];
  const values = form.getValues() as Record<string, unknown>;
  const known = (path: string) => path.split(".")[0]! in values;
  let fields = 0;
  const rest: string[] = [];
  for (const issue of issues) {
    const message = typeof issue.message === "string" ? issue.message : fallback;
    const path = typeof issue.path === "string" ? toFieldPath(issue.path) : "";
    if (path && known(path)) {
      form.setError(path as FieldPath<TValues>, { type: "server", message }, { shouldFocus: fields === 0 });
      fields++;
    } else rest.push(typeof issue.label === "string" ? `${issue.label}: ${message}` : message);
  }
  if (fields === 0 || rest.length > 0) {
    const message = fields === 0 && typeof e?.message === "string" && e.message ? e.message : rest[0] ?? fallback;
    form.setError("root", { type: "server", message });
  }
  return fields > 0;
}
