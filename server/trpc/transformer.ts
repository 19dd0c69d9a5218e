/**
 * tRPC's transformer: superjson's wire format, with a faster serializer for the values procedures return.
 *
 * superjson walks every value generically (paths, type registry, identity tracking); on a members page of 50 rows
 * that walk cost more CPU than the page's SQL. Procedures return JSON data plus Dates (and the odd `undefined`), so
 * `serialize` walks such trees itself and writes what superjson writes for them: `{ json }`, plus
 * `meta.values` naming each Date and undefined by superjson's escaped dotted path. Anything else (a Map, Set, BigInt,
 * non-finite number, -0, invalid Date, class instance) goes to superjson whole, so the browser (which deserializes
 * with superjson) reads the same values either way. The one thing not kept is superjson's `referentialEqualities`
 * (two fields holding the same object come out as two equal copies), which only matters for identity, never data.
 * tests/unit/trpc-transformer.test.ts compares the two on realistic and adversarial values.
 */
import superjson from "superjson";

type Meta = Record<string, ["Date"] | ["undefined"]>;

const escapeKey = (key: string) => (key.includes(".") || key.includes("\\") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key);

/** Sentinel: the value needs superjson. */
const UNSUPPORTED = Symbol("unsupported");

/**
 * Where a value sits, as a chain to its parent: the dotted path is only spelled out for the rare Date or undefined
 * that needs it, not concatenated for every node (a list of 1,000 results has 3,000 of them).
 */
type At = { parent: At; key: string | number } | null;

function pathOf(at: At): string {
  const keys: string[] = [];
  for (let a = at; a !== null; a = a.parent) keys.push(typeof a.key === "number" ? String(a.key) : escapeKey(a.key));
  return keys.reverse().join(".");
}

function walk(value: unknown, at: At, meta: Meta): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : UNSUPPORTED;
    case "undefined":
      meta[pathOf(at)] = ["undefined"];
      return null;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          // Primitives need no position: skip building one for them.
          const v = item !== null && typeof item === "object" || item === undefined ? walk(item, { parent: at, key: i }, meta) : walk(item, null, meta);
          if (v === UNSUPPORTED) return UNSUPPORTED;
          out[i] = v;
        }
        return out;
      }
      if (value instanceof Date) {
        const time = value.getTime();
        if (Number.isNaN(time)) return UNSUPPORTED;
        meta[pathOf(at)] = ["Date"];
        return value.toISOString();
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return UNSUPPORTED;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === "__proto__") return UNSUPPORTED;
        const item = (value as Record<string, unknown>)[key];
        const v = item !== null && typeof item === "object" || item === undefined ? walk(item, { parent: at, key }, meta) : walk(item, null, meta);
        if (v === UNSUPPORTED) return UNSUPPORTED;
        out[key] = v;
      }
      return out;
    }
    default:
      return UNSUPPORTED;
  }
}

export function serialize(value: unknown): { json: unknown; meta?: { values: Meta | ["Date"] | ["undefined"]; v: 1 } } {
  const meta: Meta = {};
  const json = walk(value, null, meta);
  if (json === UNSUPPORTED) return superjson.serialize(value) as ReturnType<typeof serialize>;
  // The root itself: superjson writes its type as the bare annotation, not under a path.
  if ("" in meta) return { json, meta: { values: meta[""]!, v: 1 } };
  for (const _ in meta) return { json, meta: { values: meta, v: 1 } };
  return { json };
}

/**
 * A payload without `meta` is plain JSON and deserializes to itself; superjson would deep-copy it first (1,000
 * links of a batch input copied for nothing). Anything with meta goes to superjson.
 */
export function deserialize<T>(payload: unknown): T {
  if (payload !== null && typeof payload === "object" && !Array.isArray(payload) && (payload as { meta?: unknown }).meta === undefined) {
    return (payload as { json: T }).json;
  }
  return superjson.deserialize<T>(payload as Parameters<typeof superjson.deserialize>[0]);
}

export const transformer = {
  serialize,
  deserialize,
};
