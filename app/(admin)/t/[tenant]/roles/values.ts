/** Text <-> value for the roles page's editable defaults and the add-right form (non-boolean types). */
export type RightValueIn = boolean | number | number[] | null;
export type EditableType = "BOOLEAN" | "INTEGER" | "ENTITY_ID" | "ID_LIST";

export const valueText = (v: RightValueIn): string => (Array.isArray(v) ? v.join(",") : v === null || typeof v === "boolean" ? "" : String(v));

const isInt = (s: string) => /^-?\d+$/.test(s);

/** Parses a field's text for `type`; returns an error message instead of sending a value the server must refuse. */
export function parseValue(type: Exclude<EditableType, "BOOLEAN">, raw: string): { value: RightValueIn } | { error: string } {
  const s = raw.trim();
  if (type === "ID_LIST") {
    const parts = s === "" ? [] : s.split(",").map((p) => p.trim());
    if (parts.some((p) => !/^\d+$/.test(p))) return { error: "Enter a comma-separated list of ids (0 means all)." };
    return { value: parts.map(Number) };
  }
  if (type === "ENTITY_ID" && s === "") return { value: null };
  if (!isInt(s)) return { error: type === "INTEGER" ? "Enter a whole number (-1 means unlimited, 0 none)." : "Enter an id (0 means all)." };
  return { value: Number(s) };
}
