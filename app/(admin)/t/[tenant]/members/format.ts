/** Formatting shared by the members pages and their client islands (plain functions: safe on both sides). */
export const fmtDateTime = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "Never");

export const displayName = (m: { firstName: string | null; lastName: string | null; displayName: string | null; email: string }) =>
  m.displayName || [m.firstName, m.lastName].filter(Boolean).join(" ") || m.email;
