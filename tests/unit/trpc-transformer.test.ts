/** server/trpc/transformer.ts writes what superjson writes, so the browser's superjson reads the same values. */
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { deserialize, serialize } from "../../server/trpc/transformer.ts";

/** superjson's own output without referentialEqualities (not kept by the fast path, see the module comment). */
function reference(value: unknown) {
  const out = superjson.serialize(value) as { json: unknown; meta?: { values?: unknown; referentialEqualities?: unknown; v?: number } };
  if (out.meta) {
    delete out.meta.referentialEqualities;
    if (out.meta.values === undefined) delete out.meta;
  }
  return out;
}

const member = (i: number) => ({
  id: i, userId: 100 + i, tenantId: 1, email: `m${i}@example.test`, firstName: i % 3 ? `First ${i}` : null, lastName: "Last",
  displayName: null, phone: null, status: "ACTIVE", kind: "MEMBER", roles: ["worker", "manager"], hasFullAccess: i % 2 === 0,
  lastLoginAt: i % 4 ? new Date(1_700_000_000_000 + i) : null, createdAt: new Date(1_600_000_000_000 + i),
  ...(i % 5 ? { twoFactor: false, pendingVerification: undefined } : {}),
});

const cases: Record<string, unknown> = {
  "a members page": { items: Array.from({ length: 50 }, (_, i) => member(i)), total: 10_000, totalIsEstimate: false, page: 1, pageSize: 50 },
  "plain JSON": { a: 1, b: [1, "two", true, null, { c: [] }], d: {} },
  "a bare Date": new Date(12345),
  "bare undefined": undefined,
  "null": null,
  "a string": "x",
  "keys with dots and backslashes": { "a.b": { "c\\d": new Date(1), "e.f.g": undefined }, "\\": [new Date(2)] },
  "undefined in an array": [1, undefined, new Date(3)],
  "a null-prototype object": Object.assign(Object.create(null) as object, { when: new Date(4) }),
  "a Map (superjson's path)": { m: new Map([["k", new Date(5)]]) },
  "a Set": new Set([1, 2]),
  "a BigInt": { n: 10n },
  "NaN and Infinity": { a: Number.NaN, b: Number.POSITIVE_INFINITY },
  "-0": { z: -0 },
  "a class instance": { e: new (class Thing { x = 1 })() },
  "a RegExp": /a+/g,
};
/** Values superjson itself does not read back equal: handed to it whole, so the output is still its own. */
const superjsonOnly: Record<string, unknown> = {
  "an invalid Date": { d: new Date(Number.NaN) },
  "an Error": { e: new Error("boom") },
};

describe("the tRPC transformer", () => {
  for (const [name, value] of Object.entries(cases)) {
    it(`serializes ${name} as superjson does, and superjson reads it back equal`, () => {
      const fast = serialize(value);
      expect(fast).toEqual(reference(value));
      expect(JSON.parse(JSON.stringify(fast))).toEqual(JSON.parse(JSON.stringify(reference(value))));
      expect(superjson.deserialize(JSON.parse(JSON.stringify(fast)))).toEqual(value);
    });
  }

  for (const [name, value] of Object.entries(superjsonOnly)) {
    it(`hands ${name} to superjson`, () => {
      expect(JSON.stringify(serialize(value))).toBe(JSON.stringify(reference(value)));
    });
  }

  it("writes shared objects as equal copies (identity is the one thing not kept)", () => {
    const shared = { at: new Date(7) };
    const value = { a: shared, b: shared };
    const back = superjson.deserialize<typeof value>(JSON.parse(JSON.stringify(serialize(value))));
    expect(back).toEqual(value);
    expect(back.a).not.toBe(back.b);
  });

  for (const [name, value] of Object.entries(cases)) {
    it(`deserializes ${name}, written by superjson, to what superjson reads`, () => {
      const wire = JSON.parse(JSON.stringify(superjson.serialize(value)));
      expect(deserialize(wire)).toEqual(superjson.deserialize(JSON.parse(JSON.stringify(wire))));
    });
  }

  it("reads a payload without meta as its json, uncopied, and a payload that is not an object as superjson does", () => {
    const json = { tenant: "acme", links: [{ unitId: 1 }, { unitId: 2 }] };
    expect(deserialize({ json })).toBe(json);
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (e) {
        return { threw: (e as Error).constructor.name };
      }
    };
    for (const odd of [null, [], "x", 3, {}]) expect(outcome(() => deserialize(odd))).toEqual(outcome(() => superjson.deserialize(odd as never)));
  });
});
