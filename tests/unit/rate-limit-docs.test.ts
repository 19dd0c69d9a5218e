/** Every rate limit is documented: README.md's Rate limits table names each LIMITS entry with its default. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../server/security/rate-limit.ts";

const readme = fs.readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");

describe("rate limit documentation", () => {
  for (const l of Object.values(LIMITS)) {
    it(`should list ${l.name} with its default ${l.points}/${l.windowMs / 1000} in README.md`, () => {
      expect(readme).toContain(`| \`${l.name}\` | \`${l.points}/${l.windowMs / 1000}\` |`);
    });
  }
});
