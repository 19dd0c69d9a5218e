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

function walk(value: unknown, path: string, meta: Meta): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : UNSUPPORTED;
    case "undefined":
      meta[path] = ["undefined"];
      return null;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const v = walk(value[i], path === "" ? String(i) : `${path}.${i}`, meta);
          if (v === UNSUPPORTED) return UNSUPPORTED;
          out[i] = v;
        }
        return out;
      }
      if (value instanceof Date) {
        const time = value.getTime();
        if (Number.isNaN(time)) return UNSUPPORTED;
        meta[path] = ["Date"];
        return value.toISOString();
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return UNSUPPORTED;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === "__proto__") return UNSUPPORTED;
        const v = walk((value as Record<string, unknown>)[key], path === "" ? escapeKey(key) : `${path}.${escapeKey(key)}`, meta);
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
  const json = walk(value, "", meta);
  if (json === UNSUPPORTED) return superjson.serialize(value) as ReturnType<typeof serialize>;
  // The root itself: superjson writes its type as the bare annotation, not under a path.
  if ("" in meta) return { json, meta: { values: meta[""]!, v: 1 } };
  for (const _ in meta) return { json, meta: { values: meta, v: 1 } };
  return { json };
}

export const transformer = {
  serialize,
  deserialize: <T>(payload: unknown) => superjson.deserialize<T>(payload as Parameters<typeof superjson.deserialize>[0]),
};
