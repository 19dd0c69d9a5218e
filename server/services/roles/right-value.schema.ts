/**
 * A right's value as typed, shared by the add-right form's schema and the roles grid's default cells. Without zod on
 * purpose: the grid parses every edit with it, and a page that only edits defaults should not load zod up front.
 */
export type RightValueIn = boolean | number | number[] | null;

/**
 * A right's value as typed in a text field, for a non-boolean type; an error message instead of a value the server
 * must refuse. Shared by the add-right form and the roles grid's default cells.
 */
export function parseRightValue(type: "INTEGER" | "ENTITY_ID" | "ID_LIST", raw: string): { value: RightValueIn } | { error: string } {
  const s = raw.trim();
  if (type === "ID_LIST") {
    const parts = s === "" ? [] : s.split(",").map((p) => p.trim());
    if (parts.some((p) => !/^\d+$/.test(p))) return { error: "Enter a comma-separated list of ids (0 means all)." };
    return { value: parts.map(Number) };
  }
  if (type === "ENTITY_ID" && s === "") return { value: null };
  if (!/^-?\d+$/.test(s)) return { error: type === "INTEGER" ? "Enter a whole number (-1 means unlimited, 0 none)." : "Enter an id (0 means all)." };
  return { value: Number(s) };
}
