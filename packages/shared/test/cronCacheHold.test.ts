import { describe, expect, it } from "vitest";
import { holdParsedCrons, parseCron } from "../src/index.js";

/** More distinct expressions than the cache keeps outside a load (two generations of 2,500). */
const distinct = Array.from(
  { length: 6000 },
  (_, i) => `${i % 60} ${Math.floor(i / 60) % 24} ${1 + (Math.floor(i / 1440) % 28)} 6 *`,
);

describe("the parse cache held by a load", () => {
  it("keeps every expression a load parses, so that each is parsed once", () => {
    const release = holdParsedCrons();
    try {
      const first = parseCron(distinct[0]!);
      for (const expression of distinct) parseCron(expression);
      // Before: evicted by the 5,999 others, parsed again into a new object.
      expect(parseCron(distinct[0]!)).toBe(first);
    } finally {
      release();
    }
  });

  it("lets go of what the load parsed once released, and keeps its usual size after", () => {
    const release = holdParsedCrons();
    const during = parseCron(distinct[1]!);
    release();
    const after = parseCron(distinct[1]!);
    expect(after).not.toBe(during);
    expect(after).toEqual(during);
    for (const expression of distinct) parseCron(expression);
    expect(parseCron(distinct[1]!)).not.toBe(after);
  });

  it("stays wide until the last of overlapping holds is released, and a release counts once", () => {
    const releaseLoad = holdParsedCrons();
    const releaseRestore = holdParsedCrons();
    const first = parseCron(distinct[2]!);
    releaseRestore();
    releaseRestore();
    for (const expression of distinct) parseCron(expression);
    expect(parseCron(distinct[2]!)).toBe(first);
    releaseLoad();
  });
});
