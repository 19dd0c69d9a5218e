/** Formatting shared by the members pages and their client islands (plain functions: safe on both sides). */
export const fmtDateTime = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "Never");

export const displayName = (m: { firstName: string | null; lastName: string | null; displayName: string | null; email: string }) =>
  m.displayName || [m.firstName, m.lastName].filter(Boolean).join(" ") || m.email;

/** An initials avatar's letters: of the first and last word of a name, or the first letter of an email address. */
export function initials(shownName: string): string {
  const words = shownName.includes("@") ? [shownName] : shownName.split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words.slice(0, 1);
  return letters.map((w) => Array.from(w)[0]!.toUpperCase()).join("") || "?";
}
