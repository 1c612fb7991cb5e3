import { describe, expect, it } from "vitest";
import { InvalidSchedule, compileDateSet, resolveCreate, resolvePatch, toDraft } from "../src/index.js";
import type { Schedule } from "../src/index.js";

const base = { name: "payroll", task: "log", cron: "0 18 L * *" };
const defaults = { timezone: "UTC" };

function problemsOf(input: unknown): { field: string; message: string }[] {
  try {
    resolveCreate(input, defaults);
  } catch (error) {
    if (error instanceof InvalidSchedule) return error.details;
    throw error;
  }
  return [];
}

describe("the calendar fields of a schedule", () => {
  it("defaults labels, exclusions, calendars, pause and alert to none", () => {
    const draft = resolveCreate(base, defaults);
    expect(draft).toMatchObject({
      labels: {},
      exclude: [],
      calendars: [],
      pausedUntil: null,
      pauseMode: "skip",
      alert: null,
    });
  });

  it("accepts Kubernetes labels and refuses a key or value Kubernetes would refuse, naming it", () => {
    expect(
      resolveCreate({ ...base, labels: { team: "finance", "hotbeat.dev/tier": "" } }, defaults).labels,
    ).toEqual({
      team: "finance",
      "hotbeat.dev/tier": "",
    });
    expect(problemsOf({ ...base, labels: { "-team": "x" } })[0]?.field).toBe("labels.-team");
    expect(problemsOf({ ...base, labels: { team: "a b" } })[0]?.field).toBe("labels.team");
    expect(problemsOf({ ...base, labels: { team: 3 } })[0]?.field).toBe("labels.team");
    expect(problemsOf({ ...base, labels: { ["x".repeat(64)]: "v" } })[0]?.field).toBe(
      `labels.${"x".repeat(64)}`,
    );
  });

  it("accepts dates and inclusive ranges and refuses a date that does not exist, naming the entry", () => {
    const draft = resolveCreate({ ...base, exclude: ["2028-02-29", "2027-12-24/2027-12-26"] }, defaults);
    expect(draft.exclude).toEqual(["2028-02-29", "2027-12-24/2027-12-26"]);
    expect(problemsOf({ ...base, exclude: ["2027-02-29"] })).toEqual([
      {
        field: "exclude.0",
        message: '"2027-02-29" must be a real date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD',
      },
    ]);
    expect(problemsOf({ ...base, exclude: ["2027-12-26/2027-12-24"] })[0]?.message).toBe(
      '"2027-12-26/2027-12-24" ends before it starts',
    );
    expect(problemsOf({ ...base, calendars: ["vn-holidays", "vn-holidays"] })[0]?.field).toBe("calendars");
  });

  it("matches a date of a range on both of its ends and says which entry held it", () => {
    const matches = compileDateSet(["2027-01-01", "2027-12-24/2027-12-26"]);
    expect(matches("2027-12-24")).toBe("2027-12-24/2027-12-26");
    expect(matches("2027-12-26")).toBe("2027-12-24/2027-12-26");
    expect(matches("2027-12-27")).toBeNull();
    expect(matches("2027-01-01")).toBe("2027-01-01");
  });

  it("takes an alert with exactly one of url or task, and defaults its failure count to 3", () => {
    expect(resolveCreate({ ...base, alert: { url: "https://ops.example/hook" } }, defaults).alert).toEqual({
      url: "https://ops.example/hook",
      afterFailures: 3,
    });
    expect(
      resolveCreate({ ...base, alert: { task: "alerts.page", afterFailures: 1 } }, defaults).alert,
    ).toEqual({
      task: "alerts.page",
      afterFailures: 1,
    });
    expect(problemsOf({ ...base, alert: { url: "https://a.example", task: "x" } })[0]?.field).toBe(
      "alert.url",
    );
    expect(problemsOf({ ...base, alert: { url: "ftp://a.example" } })[0]?.field).toBe("alert.url");
  });

  it("refuses a resume instant on a schedule that is on, and clears it when the schedule is turned on", () => {
    expect(problemsOf({ ...base, pausedUntil: "2027-01-01T00:00:00Z" })[0]?.field).toBe("pausedUntil");
    const paused = resolveCreate({ ...base, enabled: false, pausedUntil: "2027-01-01T00:00:00Z" }, defaults);
    const row = { ...paused, version: 1, calendarRevision: 0, intervalAnchorAt: null } as unknown as Schedule;
    expect(toDraft(row).pausedUntil?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(resolvePatch(row, { enabled: true }).pausedUntil).toBeNull();
  });
});
