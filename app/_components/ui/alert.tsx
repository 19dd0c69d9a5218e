import type { ComponentPropsWithoutRef, ReactNode } from "react";

export type Tone = "info" | "success" | "warning" | "danger";

const TONES: Record<Tone, string> = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  success: "border-green-200 bg-green-50 text-green-800",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  danger: "border-red-200 bg-red-50 text-red-800",
};

type Props = Omit<ComponentPropsWithoutRef<"div">, "title" | "role"> & { tone?: Tone; title?: ReactNode };

function Box({ tone = "info", title, className, children, role, ...rest }: Props & { role: "status" | "alert" }) {
  return (
    <div role={role} className={`rounded-md border px-3 py-2 text-sm ${TONES[tone]}${className ? ` ${className}` : ""}`} {...rest}>
      {title && <p className="font-semibold">{title}</p>}
      {children}
    </div>
  );
}

/** A polite message (role="status"): "Saved.", "Session signed out.". Screen readers read it when idle. */
export function Notice(props: Props) {
  return <Box role="status" {...props} />;
}

/** An assertive message (role="alert"), for errors and things that need attention now. Defaults to tone "danger". */
export function Alert({ tone = "danger", ...props }: Props) {
  return <Box role="alert" tone={tone} {...props} />;
}
