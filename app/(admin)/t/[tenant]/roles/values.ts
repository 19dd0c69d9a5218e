/** Text <-> value for the roles page's editable defaults and the add-right form (non-boolean types). */
import { parseRightValue, type RightValueIn } from "@/server/services/roles/right-value.schema.ts";

export type { RightValueIn };
export type EditableType = "BOOLEAN" | "INTEGER" | "ENTITY_ID" | "ID_LIST";

export const valueText = (v: RightValueIn): string => (Array.isArray(v) ? v.join(",") : v === null || typeof v === "boolean" ? "" : String(v));

export const parseValue = parseRightValue;
