import { describe, expect, it } from "vitest";
import { checkScheduleRow, type Schedule } from "@hotbeat/shared";
import { checkLoadedRow } from "../src/timeline/checkLoadedRow.js";
import { HeldSchedules } from "../src/timeline/heldSchedules.js";
import { PackedSchedule } from "../src/timeline/packedSchedule.js";
import { testLogger } from "../../../test/helpers.js";

const changedAt = new Date("2030-01-01T00:00:00.123Z");
const row = (name: string, extra: Partial<Schedule> = {}): Schedule => ({
  name,
  task: "log",
  description: "",
  cron: "0 * * * *",
  intervalSeconds: null,
  runAt: null,
  timezone: "UTC",
  payload: {},
  enabled: true,
  startAt: null,
  endAt: null,
  misfirePolicy: "run_once",
  misfireGraceSeconds: 300,
  overlapPolicy: "allow",
  jitterSeconds: 0,
  labels: {},
  exclude: [],
  calendars: [],
  calendarRevision: 0,
  pausedUntil: null,
  pauseMode: "skip",
  alert: null,
  version: 1,
  intervalAnchorAt: null,
  createdAt: changedAt,
  updatedAt: changedAt,
  updatedBy: "test",
  ...extra,
});

const NOW_MS = Date.parse("2030-01-01T00:10:00Z");

describe("held schedules in their packed form", () => {
  it("give back the row they were applied from, field for field, plain and with JSON values", () => {
    const plain = row("plain-report");
    const rich = row("rich-report", {
      payload: { region: "vn", retries: 2 },
      labels: { team: "finance" },
      exclude: ["2030-01-02"],
      calendars: ["vn-holidays"],
      alert: { task: "log", afterFailures: 3 },
      startAt: new Date("2029-12-01T00:00:00Z"),
      misfirePolicy: "run_all",
      jitterSeconds: 30,
    });
    const held = new HeldSchedules(testLogger());
    expect(held.apply(plain.name, plain, 1, NOW_MS)).toBe("applied");
    const loadedCalendars = [{ name: "vn-holidays", dates: ["2030-09-02"] }];
    expect(held.apply(rich.name, rich, 1, NOW_MS, loadedCalendars)).toBe("applied");
    expect(held.get("plain-report")!.schedule).toEqual(plain);
    expect(held.get("rich-report")!.schedule).toEqual(rich);
    expect(PackedSchedule.from(rich).toRow()).toEqual(rich);
    expect({ ...PackedSchedule.from(rich).toRow() }).toEqual(rich);
  });

  it("never share a payload, labels or dates between two schedules that share their cold fields", () => {
    const held = new HeldSchedules(testLogger());
    held.apply("first-report", row("first-report"), 1, NOW_MS);
    held.apply("second-report", row("second-report"), 1, NOW_MS);
    const first = held.get("first-report")!.schedule;
    (first.payload as Record<string, unknown>).changed = true;
    first.labels.team = "changed";
    first.exclude.push("2030-02-01");
    first.updatedAt.setTime(0);
    const second = held.get("second-report")!.schedule;
    expect(second.payload).toEqual({});
    expect(second.labels).toEqual({});
    expect(second.exclude).toEqual([]);
    expect(second.updatedAt).toEqual(changedAt);
    expect(held.get("first-report")!.schedule.payload).toEqual({});
  });

  it("share cold fields only between rows whose every cold field is the same", () => {
    const held = new HeldSchedules(testLogger());
    const variants: Array<Partial<Schedule>> = [
      {},
      { task: "report" },
      { description: "nightly" },
      { misfirePolicy: "skip" },
      { misfireGraceSeconds: 60 },
      { overlapPolicy: "skip" },
      { jitterSeconds: 5 },
      { calendarRevision: 2 },
      { pauseMode: "catch_up" },
      { updatedBy: "someone-else" },
      {},
    ];
    for (const [index, extra] of variants.entries()) {
      const name = `variant-${index}`;
      held.apply(name, row(name, extra), 1, NOW_MS);
      expect(held.get(name)!.schedule).toEqual(row(name, extra));
    }
  });

  it("read the same through a packed row as through the plain one", () => {
    const source = row("packed-report", { payload: { a: 1 }, pausedUntil: new Date("2031-01-01T00:00:00Z") });
    const packed = PackedSchedule.from(source);
    for (const key of Object.keys(source) as Array<keyof Schedule>) expect(packed[key]).toEqual(source[key]);
    expect(PackedSchedule.from(packed)).toBe(packed);
  });

  it("hold schedules sharing one cron with the H values of their own names", () => {
    const held = new HeldSchedules(testLogger());
    const names = ["alpha-sync", "beta-sync", "gamma-sync", "delta-sync"];
    for (const name of names) held.apply(name, row(name, { cron: "H * * * *" }), 1, NOW_MS);
    const minutes = names.map((name) => new Date(held.get(name)!.nextAtMs!).getUTCMinutes());
    expect(new Set(minutes).size).toBeGreaterThan(1);
    for (const [index, name] of names.entries()) {
      const alone = new HeldSchedules(testLogger());
      alone.apply(name, row(name, { cron: "H * * * *" }), 1, NOW_MS);
      expect(new Date(alone.get(name)!.nextAtMs!).getUTCMinutes()).toBe(minutes[index]);
    }
  });
});

describe("the check of a loaded row", () => {
  it("says what the full check says, for plain rows and hostile ones", () => {
    const invalid = new Date(Number.NaN);
    const rows: Schedule[] = [
      row("plain-cron"),
      row("plain-interval", { cron: null, intervalSeconds: 60, intervalAnchorAt: changedAt }),
      row("in-zone", { timezone: "Asia/Ho_Chi_Minh", startAt: changedAt, endAt: new Date("2031-01-01") }),
      row("once", { cron: null, runAt: new Date("2031-01-01") }),
      row("bad-cron", { cron: "61 * * * *" }),
      row("bad-zone", { timezone: "Mars/Olympus" }),
      row("offset-zone", { timezone: "+07:00" }),
      row("infinite-start", { startAt: invalid }),
      row("infinite-update", { updatedAt: invalid }),
      row("year-ten-thousand", { endAt: new Date(Date.parse("9999-12-31T23:59:59.999Z") + 1) }),
      row("two-kinds", { intervalSeconds: 60 }),
      row("no-kind", { cron: null }),
      row("zero-interval", { cron: null, intervalSeconds: 0 }),
      row("huge-interval", { cron: null, intervalSeconds: 2 ** 52 }),
      row("fractional-grace", { misfireGraceSeconds: 0.0001 }),
      row("negative-jitter", { jitterSeconds: -1 }),
      row("excludes-days", { exclude: ["2030-01-02", "2030-02-01/2030-02-03"] }),
      row("unreadable-exclude", { exclude: ["not-a-date", 42] as string[] }),
      row("odd-calendar-name", { calendars: [7] as unknown as string[] }),
    ];
    for (const candidate of rows)
      expect([candidate.name, checkLoadedRow(candidate, [])]).toEqual([
        candidate.name,
        checkScheduleRow(candidate),
      ]);
    expect(checkLoadedRow(rows[0]!, [])).toBeNull();
    expect(checkLoadedRow(rows[4]!, [])).toMatch(/^cron: does not parse/);
    expect(checkLoadedRow(rows.at(-2)!, [])).toMatch(/^exclude\.0: "not-a-date" must be a real date/);
    expect(checkLoadedRow(rows.at(-1)!, [])).toBe("calendars.0: must be the name of a calendar");
  });

  it("holds a row whose calendar was not loaded with it, and takes it once it is", () => {
    const named = row("names-calendar", { calendars: ["vn-holidays"] });
    expect(checkLoadedRow(named, [])).toBe('calendars.0: calendar "vn-holidays" does not exist');
    expect(checkLoadedRow(named, [{ name: "vn-holidays", dates: [] }])).toBeNull();
  });
});

describe("the timeline of held schedules", () => {
  it("holds the current definition only, through edits, a timing change, a pause and a bad row", () => {
    const held = new HeldSchedules(testLogger());
    const placed = () => held.timeline.values().map((entry) => [entry.name, entry.version]);
    held.apply("report", row("report"), 1, NOW_MS);
    held.apply("other", row("other"), 1, NOW_MS);
    held.apply("report", row("report", { version: 2, description: "same timing" }), 2, NOW_MS);
    expect(placed().sort()).toEqual([
      ["other", 1],
      ["report", 2],
    ]);
    held.apply("report", row("report", { version: 3, cron: "30 * * * *" }), 3, NOW_MS);
    expect(held.timeline.dueAtOf(held.get("report")!)).toBe(Date.parse("2030-01-01T00:30:00Z"));
    expect(held.timeline.size).toBe(2);
    held.apply("report", row("report", { version: 4, cron: "not a cron" }), 4, NOW_MS);
    expect(placed()).toEqual([["other", 1]]);
    held.apply("other", row("other", { version: 2, enabled: false }), 2, NOW_MS);
    expect(held.timeline.size).toBe(0);
  });
});
