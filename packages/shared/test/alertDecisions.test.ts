import { describe, expect, it } from "vitest";
import { resolveAlert, type AlertSettings } from "../src/alerts/alertSettings.js";
import { buildAlertJob } from "../src/alerts/buildAlertJob.js";
import { decideOutcomeAlert, type FinishedRun } from "../src/alerts/decideOutcomeAlert.js";
import { alertJobDataSchema } from "../src/messages/alertJob.js";

const NONE_OPEN = { event: null, openedAt: null };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** Runs newest first: `"ffs"` is failed, failed, succeeded; finished a minute apart, newest at 09:00Z. */
function history(statuses: string): FinishedRun[] {
  return [...statuses].map((letter, i) => ({
    id: id(i + 1),
    status: letter === "s" ? "succeeded" : "failed",
    error: letter === "s" ? null : `boom ${i + 1}`,
    finishedAt: new Date(Date.parse("2026-03-01T09:00:00Z") - i * 60_000),
  }));
}

describe("decideOutcomeAlert", () => {
  it("raises failing when the third run in a row fails, named by that run", () => {
    expect(decideOutcomeAlert(NONE_OPEN, history("fffs"), 3)).toEqual({
      event: "failing",
      run: history("fffs")[0],
      consecutiveFailures: 3,
      thresholdRunId: id(1),
    });
  });

  it("stays silent at two failures of three", () => {
    expect(decideOutcomeAlert(NONE_OPEN, history("ffs"), 3)).toBeNull();
  });

  it("stays silent at the fourth failure once a failing alert is open", () => {
    const open = { event: "failing" as const, openedAt: new Date("2026-03-01T08:59:00Z") };
    expect(decideOutcomeAlert(open, history("ffff"), 3)).toBeNull();
  });

  it("catches up a streak noted late, naming it by the run that reached the threshold", () => {
    // Four failures and nothing else on record: the run that made three is the second newest.
    expect(decideOutcomeAlert(NONE_OPEN, history("ffff"), 3)).toMatchObject({
      event: "failing",
      consecutiveFailures: 4,
      thresholdRunId: id(2),
    });
  });

  it("raises failing after a missed alert, which a failing streak supersedes", () => {
    const open = { event: "missed" as const, openedAt: new Date("2026-03-01T08:00:00Z") };
    expect(decideOutcomeAlert(open, history("f"), 1)).toMatchObject({
      event: "failing",
      thresholdRunId: id(1),
    });
  });

  it("raises recovered at the first success after an open alert", () => {
    const open = { event: "failing" as const, openedAt: new Date("2026-03-01T08:58:30Z") };
    expect(decideOutcomeAlert(open, history("sfff"), 3)).toEqual({
      event: "recovered",
      run: history("s")[0],
    });
  });

  it("raises recovered after a missed alert too", () => {
    const open = { event: "missed" as const, openedAt: new Date("2026-03-01T08:58:30Z") };
    expect(decideOutcomeAlert(open, history("s"), 3)).toMatchObject({ event: "recovered" });
  });

  it("does not count a success that finished before the alert opened as its recovery", () => {
    const open = { event: "missed" as const, openedAt: new Date("2026-03-01T09:00:00.001Z") };
    expect(decideOutcomeAlert(open, history("s"), 3)).toBeNull();
  });

  it("says nothing about a success with no alert open, nor about no runs at all", () => {
    expect(decideOutcomeAlert(NONE_OPEN, history("sff"), 3)).toBeNull();
    expect(decideOutcomeAlert(NONE_OPEN, [], 3)).toBeNull();
  });
});

describe("buildAlertJob", () => {
  const apiUrl = "https://hotbeat.example.com/ops";

  it("names twelve missed fires in one alert, from the first to the last, keyed by the first", () => {
    const missed = Array.from({ length: 12 }, (_, i) => ({
      at: new Date(Date.parse("2026-03-01T08:00:00Z") + i * 60_000),
      reason: "missed: 720 s late, misfire policy run_once ran the latest",
    }));
    const job = buildAlertJob(
      { event: "missed", schedule: "nightly.report", at: new Date("2026-03-01T08:13:05Z"), missed },
      { url: "https://hooks.example.com/a" },
      apiUrl,
    );
    expect(job).toEqual({
      key: `alert-missed-nightly.report-${Date.parse("2026-03-01T08:00:00Z")}`,
      target: { url: "https://hooks.example.com/a" },
      body: {
        event: "missed",
        schedule: "nightly.report",
        at: "2026-03-01T08:13:05.000Z",
        missedCount: 12,
        firstMissedAt: "2026-03-01T08:00:00.000Z",
        lastMissedAt: "2026-03-01T08:11:00.000Z",
        error: "missed: 720 s late, misfire policy run_once ran the latest",
        url: "https://hotbeat.example.com/ops/api/v1/runs?schedule=nightly.report&status=missed",
      },
    });
    expect(alertJobDataSchema.safeParse(job).success).toBe(true);
  });

  it("keys a failing alert by the run that reached the threshold and carries the latest error", () => {
    const job = buildAlertJob(
      {
        event: "failing",
        schedule: "sync",
        at: new Date("2026-03-01T09:00:00Z"),
        run: { id: id(7), error: "x".repeat(5000) },
        consecutiveFailures: 3,
        thresholdRunId: id(7),
      },
      { task: "pager.notify" },
      "http://127.0.0.1:3000",
    );
    expect(job.key).toBe(`alert-failing-sync-${id(7)}`);
    expect(job.body).toMatchObject({ event: "failing", runId: id(7), consecutiveFailures: 3 });
    expect(job.body.error).toHaveLength(1000);
    expect(job.body.url).toBe("http://127.0.0.1:3000/api/v1/runs?schedule=sync&status=failed");
    expect(alertJobDataSchema.safeParse(job).success).toBe(true);
  });

  it("keys a recovered alert by the run that succeeded", () => {
    const job = buildAlertJob(
      { event: "recovered", schedule: "sync", at: new Date("2026-03-01T09:05:00Z"), run: { id: id(9) } },
      { url: "https://hooks.example.com/a" },
      apiUrl,
    );
    expect(job.key).toBe(`alert-recovered-sync-${id(9)}`);
    expect(job.body).toEqual({
      event: "recovered",
      schedule: "sync",
      at: "2026-03-01T09:05:00.000Z",
      runId: id(9),
      url: "https://hotbeat.example.com/ops/api/v1/runs?schedule=sync&status=succeeded",
    });
  });
});

describe("resolveAlert", () => {
  const withDefault: AlertSettings = {
    defaultUrl: "https://hooks.example.com/default",
    defaultAfterFailures: 5,
    apiUrl: "http://127.0.0.1:3000",
  };
  const withoutDefault: AlertSettings = { ...withDefault, defaultUrl: undefined };

  it("uses the schedule's own target and count when it names one", () => {
    expect(resolveAlert("a", { url: "https://own.example.com/", afterFailures: 2 }, withDefault)).toEqual({
      target: { url: "https://own.example.com/" },
      afterFailures: 2,
    });
    expect(resolveAlert("a", { task: "log", afterFailures: 3 }, withDefault)).toEqual({
      target: { task: "log" },
      afterFailures: 3,
    });
  });

  it("uses the deployment's default for a schedule whose alert is null, only when one is set", () => {
    expect(resolveAlert("a", null, withDefault)).toEqual({
      target: { url: "https://hooks.example.com/default" },
      afterFailures: 5,
    });
    expect(resolveAlert("a", null, withoutDefault)).toBeNull();
  });

  it("refuses an alert a raw SQL edit left unreadable, naming the schedule and the field", () => {
    expect(() => resolveAlert("broken", { url: 42 }, withDefault)).toThrow(
      /^schedule "broken": alert\.url: /,
    );
  });
});
