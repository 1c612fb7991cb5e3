import { describe, expect, it } from "vitest";
import { describeCron, describeSchedule } from "../src/describe.js";
import { formatInZone } from "../src/format.js";

const timing = (fields: Partial<Parameters<typeof describeSchedule>[0]>) => ({
  cron: null,
  intervalSeconds: null,
  runAt: null,
  timezone: "UTC",
  ...fields,
});

describe("describeSchedule", () => {
  it("says the three example schedules in words", () => {
    expect(describeSchedule(timing({ cron: "15 9 * * *", timezone: "Asia/Ho_Chi_Minh" }))).toBe(
      "Every day at 09:15, Asia/Ho_Chi_Minh",
    );
    expect(describeSchedule(timing({ intervalSeconds: 21_600 }))).toBe("Every 6 hours");
    expect(describeSchedule(timing({ cron: "0 8 * * 1", timezone: "Asia/Ho_Chi_Minh" }))).toBe(
      "Mondays at 08:00, Asia/Ho_Chi_Minh",
    );
  });
  it("says 0 is Sunday, as cron reads it", () => {
    expect(describeCron("0 8 * * 0")).toBe("Sundays at 08:00");
    expect(describeCron("0 8 * * 7")).toBe("Sundays at 08:00");
  });
  it("drops the 1 of a one-unit interval", () => {
    expect(describeSchedule(timing({ intervalSeconds: 3600 }))).toBe("Every hour");
    expect(describeSchedule(timing({ intervalSeconds: 90 }))).toBe("Every 90 seconds");
  });
  it("says a one-off in the schedule's zone", () => {
    expect(
      describeSchedule(
        timing({ runAt: "2026-05-01T02:00:00.000Z", timezone: "Asia/Ho_Chi_Minh" }),
        formatInZone,
      ),
    ).toBe("Once, 2026-05-01 09:00, Asia/Ho_Chi_Minh");
  });
  it("falls back to the cron itself for shapes it has no words for", () => {
    expect(describeSchedule(timing({ cron: "0 8 1 * 1" }))).toBe("cron 0 8 1 * 1, UTC");
    expect(describeSchedule(timing({ cron: "0 8 * 1 *" }))).toBe("cron 0 8 * 1 *, UTC");
  });
});

describe("describeCron", () => {
  it.each([
    ["30 7 * * *", "Every day at 07:30"],
    ["0 8 * * 1-5", "Weekdays at 08:00"],
    ["0 10 * * sat,sun", "Weekends at 10:00"],
    ["0 10 * * tue,thu", "Tuesdays and Thursdays at 10:00"],
    ["0 10 * * 0,6", "Weekends at 10:00"],
    ["0 9 * * MON,WED,FRI", "Mondays, Wednesdays and Fridays at 09:00"],
    ["0 9 * * 2-4", "Tuesday to Thursday at 09:00"],
    ["0 0 1 * *", "Monthly on the 1st at 00:00"],
    ["30 6 22 * *", "Monthly on the 22nd at 06:30"],
    ["0 12 13 * *", "Monthly on the 13th at 12:00"],
    ["0 9,17 * * *", "Every day at 09:00 and 17:00"],
    ["*/15 * * * *", "Every 15 minutes"],
    ["* * * * *", "Every minute"],
    ["0 * * * *", "Every hour"],
    ["@hourly", "Every hour"],
    ["5 * * * *", "Every hour at :05"],
    ["0 */6 * * *", "Every 6 hours"],
    ["30 */2 * * *", "Every 2 hours at :30"],
    ["0 15 9 * * *", "Every day at 09:15"],
    ["@daily", "Every day at 00:00"],
  ])("says %s as %s", (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });
  it("has no words for a seconds field other than 0", () => {
    expect(describeCron("*/5 * * * * *")).toBeUndefined();
  });
});
