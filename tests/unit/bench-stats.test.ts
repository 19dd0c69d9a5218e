import { describe, expect, it } from "vitest";
import { mode, percentile, table } from "../bench/stats.ts";

describe("bench statistics", () => {
  it("should take percentiles by nearest rank on the sorted values", () => {
    const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile(v, 99)).toBe(10);
    expect(percentile(v, 10)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("should report the most frequent statement count, ignoring a rare outlier", () => {
    expect(mode([3, 3, 3, 9, 3, 4])).toBe(3);
    expect(mode([4, 2, 4, 2])).toBe(2);
    expect(mode([])).toBeNaN();
  });

  it("should right-align numeric columns and pad every row to the same width", () => {
    const out = table(["op", "ms"], [["page", "3.2"], ["search", "12.5"]]).split("\n");
    expect(out[0]).toBe("| op     |   ms |");
    expect(out[1]).toBe("|--------|-----:|");
    expect(out[2]).toBe("| page   |  3.2 |");
    expect(out[3]).toBe("| search | 12.5 |");
  });
});
