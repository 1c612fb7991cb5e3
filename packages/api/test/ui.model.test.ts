import { describe, expect, it } from "vitest";
import {
  blankForm,
  diffFields,
  formToFields,
  fromZonedWallTime,
  scheduleToForm,
  toPatch,
  toZonedWallTime,
} from "../src/ui/js/editorModel.js";
import { formatInZone } from "../src/ui/js/zonedTime.js";

const saved = {
  name: "morning_intelligence_report",
  task: "reports.morning",
  description: "",
  cron: "30 7 * * *",
  intervalSeconds: null,
  runAt: null,
  timezone: "Asia/Ho_Chi_Minh",
  payload: {},
};

describe("instants on the page", () => {
  it("writes an instant in a zone with its weekday", () => {
    expect(formatInZone("2026-05-04T02:15:00Z", "Asia/Ho_Chi_Minh")).toBe("Mon 2026-05-04 09:15");
  });
});

describe("the editor model", () => {
  it("reads a daily cron as a daily form and writes it back", () => {
    const form = scheduleToForm(saved);
    expect(form).toMatchObject({ mode: "daily", time: "07:30", timezone: "Asia/Ho_Chi_Minh" });
    expect(formToFields({ ...form, time: "09:15" }).fields).toMatchObject({
      cron: "15 9 * * *",
      timezone: "Asia/Ho_Chi_Minh",
    });
  });
  it("reads weekly days (7 as Sunday, ranges expanded) and writes them Monday first", () => {
    expect(scheduleToForm({ ...saved, cron: "0 8 * * 1-3,7" })).toMatchObject({
      mode: "weekly",
      days: [1, 2, 3, 0],
      time: "08:00",
    });
    const form = { ...blankForm("UTC"), mode: "weekly" as const, time: "08:00", days: [0, 5, 1] };
    expect(formToFields(form).fields?.cron).toBe("0 8 * * 1,5,0");
    expect(formToFields({ ...form, days: [] }).error).toEqual({
      field: "days",
      message: "pick at least one day",
    });
  });
  it("reads monthly and interval schedules, and anything else as raw cron", () => {
    expect(scheduleToForm({ ...saved, cron: "0 6 15 * *" })).toMatchObject({
      mode: "monthly",
      dayOfMonth: 15,
    });
    expect(scheduleToForm({ ...saved, cron: null, intervalSeconds: 21_600 })).toMatchObject({
      mode: "interval",
      every: 6,
      unit: "hours",
    });
    expect(scheduleToForm({ ...saved, cron: null, intervalSeconds: 5400 })).toMatchObject({
      mode: "interval",
      every: 90,
      unit: "minutes",
    });
    expect(scheduleToForm({ ...saved, cron: "*/15 9-17 * * 1-5" })).toMatchObject({
      mode: "cron",
      cron: "*/15 9-17 * * 1-5",
    });
    expect(scheduleToForm({ ...saved, cron: "0 0 9 * * *" })).toMatchObject({ mode: "cron" });
  });
  it("turns every N hours into intervalSeconds and refuses bad JSON payloads", () => {
    const form = { ...blankForm("UTC"), mode: "interval" as const, every: "4", unit: "hours" as const };
    expect(formToFields(form).fields).toMatchObject({ intervalSeconds: 14_400 });
    expect(formToFields({ ...form, payload: "{oops" }).error?.field).toBe("payload");
  });
  it("lists only what changed, and patches only that (setting one kind clears the others)", () => {
    const changes = diffFields(saved, {
      task: "reports.morning",
      description: "",
      timezone: "Asia/Ho_Chi_Minh",
      payload: {},
      intervalSeconds: 3600,
    });
    expect(changes).toEqual([
      { field: "cron", from: "30 7 * * *", to: null },
      { field: "intervalSeconds", from: null, to: 3600 },
    ]);
    expect(toPatch(changes)).toEqual({ intervalSeconds: 3600 });
  });
});

describe("wall times in a zone", () => {
  it("reads a one-off's wall time in its zone and back", () => {
    expect(fromZonedWallTime("2026-05-01T09:00", "Asia/Ho_Chi_Minh")).toBe("2026-05-01T09:00:00+07:00");
    expect(toZonedWallTime("2026-05-01T02:00:00Z", "Asia/Ho_Chi_Minh")).toBe("2026-05-01T09:00");
  });
  it("reads a wall time skipped by DST with the offset before the gap, and a repeated one as its first", () => {
    expect(fromZonedWallTime("2026-03-08T02:30", "America/New_York")).toBe("2026-03-08T02:30:00-05:00");
    expect(fromZonedWallTime("2026-11-01T01:30", "America/New_York")).toBe("2026-11-01T01:30:00-04:00");
    expect(fromZonedWallTime("2026-07-01T12:00", "America/New_York")).toBe("2026-07-01T12:00:00-04:00");
    expect(fromZonedWallTime("2026-10-04T02:15", "Australia/Lord_Howe")).toBe("2026-10-04T02:15:00+10:30");
  });
});
