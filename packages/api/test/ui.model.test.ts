import { describe, expect, it } from "vitest";
import { blankForm, diffFields, formToFields, scheduleToForm, toPatch } from "../src/ui/js/editorModel.js";
import { controlOfField, parseDateLines, parseLabelLines, readAlert } from "../src/ui/js/editorFields.js";
import { renderFirstPagePreload } from "../src/plugins/ui.js";
import { readListQuery, readView, toApiQuery, toSearch } from "../src/ui/js/listQuery.js";
import { computePausedUntil } from "../src/ui/js/pauseModel.js";
import { describePassedOver } from "../src/ui/js/previewList.js";
import { formatInZone, fromZonedWallTime, toZonedWallTime } from "../src/ui/js/zonedTime.js";

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
    expect(formToFields({ ...form, days: [5, 4, 3, 2, 1] }).fields?.cron).toBe("0 8 * * 1-5");
    expect(formToFields({ ...form, days: [0, 6, 1, 3, 4, 5] }).fields?.cron).toBe("0 8 * * 1,3-6,0");
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

describe("the list's state in the URL", () => {
  it("keeps the search, the label selector, the health filter and the order in the query, and reads them back", () => {
    const state = {
      q: "report",
      label: "team=finance, !legacy",
      health: "invalid" as const,
      enabled: "" as const,
      sort: "next" as const,
    };
    const search = toSearch(state);
    expect(search).toBe("?q=report&label=team%3Dfinance%2C+%21legacy&health=invalid&sort=next");
    expect(readListQuery(search)).toEqual(state);
    expect(toSearch(readListQuery(""))).toBe("");
    expect(toSearch(state, "calendars")).toMatch(/^\?view=calendars&q=report/);
  });
  it("reads values it does not know as the defaults", () => {
    expect(readListQuery("?health=bogus&sort=random&enabled=maybe")).toEqual({
      q: "",
      label: "",
      health: "",
      enabled: "",
      sort: "name",
    });
    expect(readView("?view=calendars")).toBe("calendars");
    expect(readView("?view=elsewhere")).toBe("schedules");
  });
  it("preloads in the HTML the very first page the URL asks for, and none on another view", () => {
    expect(renderFirstPagePreload("?label=team%3Dfinance&sort=next")).toBe(
      '<link rel="preload" as="fetch" href="/api/v1/schedules?label=team%3Dfinance&amp;sort=next&amp;limit=50" crossorigin="anonymous" />',
    );
    expect(renderFirstPagePreload("")).toContain('href="/api/v1/schedules?sort=name&amp;limit=50"');
    expect(renderFirstPagePreload("?view=calendars")).toBe("");
  });
  it("asks the API for each label requirement as one label parameter, so they are ANDed", () => {
    const query = toApiQuery({ label: "team=finance, !legacy,tier!=low,", sort: "name" }, { cursor: "abc" });
    expect(query.getAll("label")).toEqual(["team=finance", "!legacy", "tier!=low"]);
    expect(query.get("limit")).toBe("50");
    expect(query.get("cursor")).toBe("abc");
    expect(query.has("health")).toBe(false);
  });
});

describe("the editor's labels, exclusions, calendars and alert", () => {
  it("reads labels one key=value a line, blank lines skipped, and names the line it cannot read", () => {
    expect(parseLabelLines("team=finance\n\n tier = gold \nempty=")).toEqual({
      labels: { team: "finance", tier: "gold", empty: "" },
    });
    expect(parseLabelLines("team=finance\nfinance")).toEqual({
      error: { field: "labels", message: "line 2: write key=value" },
    });
    expect(parseLabelLines("team=a\nteam=b").error?.message).toBe("line 2: team is already set");
  });
  it("reads exclusion dates and ranges one a line or comma separated", () => {
    expect(parseDateLines("2027-01-01\n2027-12-24/2027-12-26, 2028-01-01\n\n")).toEqual([
      "2027-01-01",
      "2027-12-24/2027-12-26",
      "2028-01-01",
    ]);
  });
  it("writes the alert as a webhook or a task with afterFailures, or null for none", () => {
    const base = { alertUrl: "", alertTask: "", afterFailures: "3" };
    expect(readAlert({ ...base, alertKind: "" })).toEqual({ alert: null });
    expect(readAlert({ ...base, alertKind: "url", alertUrl: " https://hooks.example.com/x " })).toEqual({
      alert: { url: "https://hooks.example.com/x", afterFailures: 3 },
    });
    expect(readAlert({ ...base, alertKind: "task", alertTask: "pager.notify", afterFailures: 5 })).toEqual({
      alert: { task: "pager.notify", afterFailures: 5 },
    });
    expect(
      readAlert({ ...base, alertKind: "url", alertUrl: "https://x.test", afterFailures: "0" }).error,
    ).toEqual({
      field: "alert.afterFailures",
      message: "must be a whole number, 1 or more",
    });
  });
  it("puts each API error on the control of the field it names", () => {
    expect(controlOfField("labels.team")).toBe("labels");
    expect(controlOfField("exclude.2")).toBe("exclude");
    expect(controlOfField("calendars.0")).toBe("calendars");
    expect(controlOfField("alert.url")).toBe("alertUrl");
    expect(controlOfField("alert.afterFailures")).toBe("afterFailures");
    expect(controlOfField("alert")).toBe("alertKind");
    expect(controlOfField("intervalSeconds")).toBe("every");
    expect(controlOfField("cron")).toBe("cron");
  });
  it("round-trips labels, exclusions, calendars and alert through the form, labels in any order", () => {
    const stored = {
      ...saved,
      misfirePolicy: "run_once",
      misfireGraceSeconds: 60,
      overlapPolicy: "allow",
      jitterSeconds: 0,
      startAt: null,
      endAt: null,
      labels: { team: "finance", tier: "gold" },
      exclude: ["2027-01-01", "2027-12-24/2027-12-26"],
      calendars: ["vn-public-holidays"],
      alert: { url: "https://hooks.example.com/x", afterFailures: 2 },
    };
    const form = scheduleToForm(stored);
    expect(form).toMatchObject({
      labels: "team=finance\ntier=gold",
      exclude: "2027-01-01\n2027-12-24/2027-12-26",
      calendars: ["vn-public-holidays"],
      alertKind: "url",
      afterFailures: 2,
    });
    expect(diffFields(stored, formToFields({ ...form, labels: "tier=gold\nteam=finance" }).fields!)).toEqual(
      [],
    );
    const changes = diffFields(stored, formToFields({ ...form, exclude: "", alertKind: "" }).fields!);
    expect(toPatch(changes)).toEqual({ exclude: [], alert: null });
  });
});

describe("when a pause ends", () => {
  const nowIso = "2026-05-04T20:00:00.000Z";
  it("ends a pause for 1 hour an hour from now", () => {
    expect(computePausedUntil("hour", { nowIso, zone: "Asia/Ho_Chi_Minh" })).toEqual({
      at: "2026-05-04T21:00:00.000Z",
    });
  });
  it("ends a pause until tomorrow at the next 00:00 in the schedule's zone, not the viewer's", () => {
    // 20:00Z is already 03:00 on the 5th in Ho Chi Minh City, still 16:00 on the 4th in New York.
    expect(computePausedUntil("tomorrow", { nowIso, zone: "Asia/Ho_Chi_Minh" })).toEqual({
      at: "2026-05-06T00:00:00+07:00",
    });
    expect(computePausedUntil("tomorrow", { nowIso, zone: "America/New_York" })).toEqual({
      at: "2026-05-05T00:00:00-04:00",
    });
  });
  it("reads a midnight that DST skips with the offset before the gap, as the scheduler does", () => {
    // Santiago springs forward at 00:00 on 2026-09-06: that midnight is 01:00 -03:00, 04:00Z.
    expect(
      computePausedUntil("tomorrow", { nowIso: "2026-09-05T15:00:00Z", zone: "America/Santiago" }),
    ).toEqual({
      at: "2026-09-06T00:00:00-04:00",
    });
  });
  it("ends a pause until a date at that wall time in the zone, refusing one that has passed", () => {
    expect(
      computePausedUntil("date", { nowIso, zone: "Europe/Berlin", localUntil: "2026-05-10T09:00" }),
    ).toEqual({ at: "2026-05-10T09:00:00+02:00" });
    expect(
      computePausedUntil("date", { nowIso, zone: "Europe/Berlin", localUntil: "2026-05-04T09:00" }),
    ).toEqual({ error: { field: "pausedUntil", message: "must be in the future" } });
    expect(computePausedUntil("resume", { nowIso, zone: "UTC" })).toEqual({ at: null });
  });
});

describe("the preview's passed-over instants", () => {
  it("says which calendar excludes an instant, or that the schedule's own dates do, or who skipped it", () => {
    const at = "2027-09-02T02:00:00Z";
    expect(describePassedOver({ at, excluded: "calendar vn-public-holidays" })).toEqual({
      kind: "excluded",
      text: "excluded (vn-public-holidays)",
    });
    expect(describePassedOver({ at, excluded: "2027-09-02" })).toEqual({
      kind: "excluded",
      text: "excluded (its own dates)",
    });
    expect(describePassedOver({ at, skipped: "skipped by alice" })).toEqual({
      kind: "skipped",
      text: "skipped by alice",
    });
    expect(describePassedOver({ at })).toBeNull();
  });
});
