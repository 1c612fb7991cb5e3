import { describe, expect, it } from "vitest";
import { Timeline } from "../src/index.js";

function drain<T>(timeline: Timeline<T>): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let top = timeline.pop(); top; top = timeline.pop()) out.push([top.name, top.dueAtMs]);
  return out;
}

describe("the timeline heap", () => {
  it("yields schedules in due order, ties by name", () => {
    const timeline = new Timeline<null>();
    for (const [name, at] of [
      ["c", 30],
      ["a", 10],
      ["b", 30],
      ["d", 5],
      ["e", 20],
    ] as const)
      timeline.upsert(name, at, null);
    expect(timeline.size).toBe(5);
    expect(drain(timeline)).toEqual([
      ["d", 5],
      ["a", 10],
      ["e", 20],
      ["b", 30],
      ["c", 30],
    ]);
    expect(timeline.size).toBe(0);
  });

  it("moves a schedule earlier or later in place and removes one from the middle", () => {
    const timeline = new Timeline<number>();
    for (let i = 0; i < 10; i += 1) timeline.upsert(`s${i}`, i * 10, i);
    timeline.upsert("s9", 1, 9);
    timeline.upsert("s0", 1000, 0);
    expect(timeline.remove("s5")).toBe(true);
    expect(timeline.remove("s5")).toBe(false);
    expect(timeline.get("s9")).toEqual({ value: 9, dueAtMs: 1 });
    expect(drain(timeline).map(([name]) => name)).toEqual([
      "s9",
      "s1",
      "s2",
      "s3",
      "s4",
      "s6",
      "s7",
      "s8",
      "s0",
    ]);
  });

  it("stays ordered through thousands of random upserts and removals", () => {
    const timeline = new Timeline<null>();
    const expected = new Map<string, number>();
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i += 1) {
      const name = `s${Math.floor(random() * 500)}`;
      if (random() < 0.25) {
        timeline.remove(name);
        expected.delete(name);
      } else {
        const at = Math.floor(random() * 1e6);
        timeline.upsert(name, at, null);
        expected.set(name, at);
      }
    }
    const sorted = [...expected].sort(([an, a], [bn, b]) => a - b || (an < bn ? -1 : 1));
    expect(timeline.size).toBe(expected.size);
    expect(drain(timeline)).toEqual(sorted);
  });
});
