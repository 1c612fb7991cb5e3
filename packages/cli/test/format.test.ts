import { describe, expect, it } from "vitest";
import {
  describeChange,
  formatFireTimes,
  formatImportOutcomes,
  formatInZone,
  formatLocal,
  formatRefusal,
  formatTable,
} from "../src/format.js";

describe("formatFireTimes", () => {
  it("prints each run with its weekday, in the schedule's zone, with UTC beside it", () => {
    const text = formatFireTimes(
      [
        {
          at: "2026-05-04T02:15:00.000Z",
          local: "2026-05-04T09:15:00.000+07:00",
          weekday: "Monday",
          dstShift: null,
        },
      ],
      "Asia/Ho_Chi_Minh",
    );
    expect(text).toBe(
      "Next runs (Asia/Ho_Chi_Minh):\n  Mon 2026-05-04 09:15 +07:00  (2026-05-04T02:15:00Z)\n",
    );
  });
  it("marks a run moved by a DST gap and the first of a repeated hour", () => {
    const text = formatFireTimes(
      [
        {
          at: "2026-03-08T07:30:00.000Z",
          local: "2026-03-08T03:30:00.000-04:00",
          weekday: "Sunday",
          dstShift: "gap",
        },
        {
          at: "2026-11-01T05:30:00.000Z",
          local: "2026-11-01T01:30:00.000-04:00",
          weekday: "Sunday",
          dstShift: "overlap",
        },
      ],
      "America/New_York",
    );
    expect(text).toContain(
      "03:30 -04:00  (2026-03-08T07:30:00Z)  ← moved: the wall time does not exist that day (DST)",
    );
    expect(text).toContain("← first of two: the hour repeats that day (DST)");
  });
  it("says when there is nothing to come", () => {
    expect(formatFireTimes([], "UTC")).toBe("No upcoming runs.\n");
  });
});

describe("formatting helpers", () => {
  it("aligns a table without trailing blanks", () => {
    expect(
      formatTable(
        ["A", "BB"],
        [
          ["long", "x"],
          ["s", ""],
        ],
      ),
    ).toBe("A     BB\nlong  x\ns\n");
  });
  it("writes an instant as wall time in a zone", () => {
    expect(formatInZone("2026-05-04T02:15:00Z", "Asia/Ho_Chi_Minh")).toBe("2026-05-04 09:15");
    expect(formatInZone("2026-05-04T02:15:00Z", "UTC")).toBe("2026-05-04 02:15");
  });
  it("shortens a local ISO time and leaves anything else alone", () => {
    expect(formatLocal("2026-05-04T09:15:00.000+07:00")).toBe("2026-05-04 09:15 +07:00");
    expect(formatLocal("2026-05-04T09:15:00Z")).toBe("2026-05-04 09:15 +00:00");
    expect(formatLocal("soon")).toBe("soon");
  });
  it("prints the API's refusal with the field details it did not already say", () => {
    expect(formatRefusal("cron: has 4 fields", [{ field: "cron", message: "has 4 fields" }])).toBe(
      "error: cron: has 4 fields\n",
    );
    expect(formatRefusal("invalid", [{ field: "timezone", message: "is not an IANA zone" }])).toBe(
      "error: invalid\n  timezone: is not an IANA zone\n",
    );
  });
  it("describes a change as the fields that moved, old → new", () => {
    expect(
      describeChange(
        { cron: "15 9 * * *", version: 1, enabled: true },
        { cron: "30 7 * * *", version: 2, enabled: true },
      ),
    ).toBe("cron: 15 9 * * * → 30 7 * * *");
    expect(describeChange(null, { cron: "x" })).toBe("created");
    expect(describeChange({ cron: "x" }, null)).toBe("deleted");
    expect(describeChange({ intervalSeconds: null }, { intervalSeconds: 14_400 })).toBe(
      "intervalSeconds: - → 14400",
    );
  });
  it("lists what an import did or would do", () => {
    const text = formatImportOutcomes(
      [
        { name: "a", action: "create", version: 1, warnings: ["interval under 300 s"] },
        { name: "b", action: "unchanged", version: 4, warnings: [] },
      ],
      true,
    );
    expect(text).toBe(
      "Dry run, nothing changed. Would apply:\n  create    a (version 1)\n  unchanged b\nwarning: a: interval under 300 s\n",
    );
  });
});
