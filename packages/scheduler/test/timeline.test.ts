import { describe, expect, it } from "vitest";
import { Timeline, type TimelineEntry } from "../src/index.js";

const entry = (name: string): TimelineEntry => ({ name, timelineSlot: -1 });

function drain(timeline: Timeline<TimelineEntry>): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let top = timeline.pop(); top; top = timeline.pop()) out.push([top.entry.name, top.dueAtMs]);
  return out;
}

describe("the timeline heap", () => {
  it("yields schedules in due order, ties by name", () => {
    const timeline = new Timeline<TimelineEntry>();
    for (const [name, at] of [
      ["c", 30],
      ["a", 10],
      ["b", 30],
      ["d", 5],
      ["e", 20],
    ] as const)
      timeline.upsert(entry(name), at);
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
    const timeline = new Timeline<TimelineEntry>();
    const entries = Array.from({ length: 10 }, (_, i) => entry(`s${i}`));
    entries.forEach((one, i) => timeline.upsert(one, i * 10));
    timeline.upsert(entries[9]!, 1);
    timeline.upsert(entries[0]!, 1000);
    expect(timeline.remove(entries[5]!)).toBe(true);
    expect(timeline.remove(entries[5]!)).toBe(false);
    expect(entries[5]!.timelineSlot).toBe(-1);
    expect(timeline.dueAtOf(entries[9]!)).toBe(1);
    expect(timeline.dueAtOf(entries[5]!)).toBeUndefined();
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

  it("holds entries, not names: another entry of the same name is not the one held", () => {
    const timeline = new Timeline<TimelineEntry>();
    const held = entry("report");
    timeline.upsert(held, 10);
    const other = entry("report");
    other.timelineSlot = held.timelineSlot;
    expect(timeline.has(held)).toBe(true);
    expect(timeline.has(other)).toBe(false);
    expect(timeline.remove(other)).toBe(false);
    expect(timeline.size).toBe(1);
  });

  it("refuses an instant that is not finite, which at the root would hide every later entry", () => {
    const timeline = new Timeline<TimelineEntry>();
    expect(() => timeline.upsert(entry("bad"), Number.NaN)).toThrow(/bad: due instant NaN is not finite/);
    expect(timeline.size).toBe(0);
  });

  it("stays ordered through thousands of random upserts and removals", () => {
    const timeline = new Timeline<TimelineEntry>();
    const entries = new Map<string, TimelineEntry>();
    const expected = new Map<string, number>();
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i += 1) {
      const name = `s${Math.floor(random() * 500)}`;
      let one = entries.get(name);
      if (!one) entries.set(name, (one = entry(name)));
      if (random() < 0.25) {
        timeline.remove(one);
        expected.delete(name);
      } else {
        const at = Math.floor(random() * 1e6);
        timeline.upsert(one, at);
        expected.set(name, at);
      }
    }
    const sorted = [...expected].sort(([an, a], [bn, b]) => a - b || (an < bn ? -1 : 1));
    expect(timeline.size).toBe(expected.size);
    expect(drain(timeline)).toEqual(sorted);
  });
});
