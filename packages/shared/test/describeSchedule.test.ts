import { describe, expect, it } from "vitest";
import { describeSchedule, type DescribableTiming } from "../src/schedules/describeSchedule.js";

const NONE = { cron: null, intervalSeconds: null, runAt: null, timezone: "UTC" };
const cron = (expression: string, timezone = "UTC", name?: string): DescribableTiming => ({
  ...NONE,
  cron: expression,
  timezone,
  ...(name === undefined ? {} : { name }),
});
const words = (expression: string, timezone = "UTC") => describeSchedule(cron(expression, timezone));

describe("describeSchedule", () => {
  it("says a fixed daily time, then the zone", () => {
    expect(words("15 9 * * *", "Asia/Ho_Chi_Minh")).toBe("At 09:15 every day, Asia/Ho_Chi_Minh");
    expect(words("@daily")).toBe("At 00:00 every day, UTC");
    expect(words("0 9,13,17 * * *")).toBe("At 09:00, 13:00 and 17:00 every day, UTC");
    expect(words("30 15 10 * * *")).toBe("At 10:15:30 every day, UTC");
  });

  it("says repeating crons as a rhythm", () => {
    expect(words("* * * * *")).toBe("Every minute, UTC");
    expect(words("*/15 * * * *")).toBe("Every 15 minutes, UTC");
    expect(words("@hourly")).toBe("Every hour, UTC");
    expect(words("5 * * * *")).toBe("Every hour at :05, UTC");
    expect(words("0,30 * * * *")).toBe("Every hour at :00 and :30, UTC");
    expect(words("0 */6 * * *")).toBe("Every 6 hours, UTC");
    expect(words("30 */2 * * *")).toBe("Every 2 hours at :30, UTC");
    expect(words("*/10 * * * * *")).toBe("Every 10 seconds, UTC");
    expect(words("*/15 9-17 * * 1-5")).toBe("Every 15 minutes from 09:00 to 17:45 on weekdays, UTC");
  });

  it("names weekdays, Sunday being 0 and 7", () => {
    expect(words("0 8 * * 1")).toBe("At 08:00 on Mondays, UTC");
    expect(words("0 8 * * 0")).toBe("At 08:00 on Sundays, UTC");
    expect(words("0 8 * * 7")).toBe("At 08:00 on Sundays, UTC");
    expect(words("0 8 * * MON-FRI")).toBe("At 08:00 on weekdays, UTC");
    expect(words("0 8 * * 6,0")).toBe("At 08:00 on weekends, UTC");
    expect(words("0 8 * * 2-4")).toBe("At 08:00 on Tuesday to Thursday, UTC");
    expect(words("0 8 * * 5-7")).toBe("At 08:00 on Friday to Sunday, UTC");
    expect(words("0 8 * * 1,4")).toBe("At 08:00 on Mondays and Thursdays, UTC");
    expect(words("0 12 ? * MON")).toBe("At 12:00 on Mondays, UTC");
  });

  it("knows L, nL, n#k, W, LW and L-n", () => {
    expect(words("0 18 * * 5L", "Europe/Berlin")).toBe(
      "At 18:00 on the last Friday of the month, Europe/Berlin",
    );
    expect(words("0 18 L * *")).toBe("At 18:00 on the last day of the month, UTC");
    expect(words("0 0 L,15 * *")).toBe("At 00:00 on the 15th and the last day of the month, UTC");
    expect(words("0 9 * * 1#1")).toBe("At 09:00 on the first Monday of the month, UTC");
    expect(words("0 0 * * 5#5")).toBe("At 00:00 on the fifth Friday of the month, UTC");
    expect(words("0 0 15W * *")).toBe("At 00:00 on the weekday nearest the 15th of the month, UTC");
    expect(words("0 0 LW * *")).toBe("At 00:00 on the last weekday of the month, UTC");
    expect(words("0 0 L-2 * *")).toBe("At 00:00 on the 3rd-to-last day of the month, UTC");
    expect(words("0 0 * * 1,3L")).toBe("At 00:00 on Mondays and the last Wednesday of the month, UTC");
  });

  it("says either day field may fire when both are restricted", () => {
    expect(words("0 8 L * 1")).toBe("At 08:00 on the last day of the month or on Mondays, UTC");
  });

  it("names days of the month and months", () => {
    expect(words("0 0 1 * *")).toBe("At 00:00 on the 1st of the month, UTC");
    expect(words("0 0 1,15 * *")).toBe("At 00:00 on the 1st and 15th of the month, UTC");
    expect(words("0 0 1-7 * *")).toBe("At 00:00 on days 1 to 7 of the month, UTC");
    expect(words("@yearly")).toBe("At 00:00 on the 1st of January, UTC");
    expect(words("0 9 * 1,7 1")).toBe("At 09:00 on Mondays in January and July, UTC");
    expect(words("0 9 * MAR-OCT *")).toBe("At 09:00 every day from March to October, UTC");
    expect(words("0 9 L 2 *")).toBe("At 09:00 on the last day of February, UTC");
  });

  it("shows an H as the time the name hashes to", () => {
    expect(describeSchedule(cron("H 3 * * *", "UTC", "nightly-report"))).toBe("At 03:19 every day, UTC");
  });

  it("says intervals and one-off runs", () => {
    expect(describeSchedule({ ...NONE, intervalSeconds: 21_600 })).toBe("Every 6 hours");
    expect(describeSchedule({ ...NONE, intervalSeconds: 3600 })).toBe("Every hour");
    expect(describeSchedule({ ...NONE, intervalSeconds: 5400 })).toBe("Every 90 minutes");
    expect(describeSchedule({ ...NONE, intervalSeconds: 90 })).toBe("Every 90 seconds");
    expect(describeSchedule({ ...NONE, intervalSeconds: 604_800 })).toBe("Every week");
    expect(describeSchedule({ ...NONE, runAt: "2027-01-01T02:00:00Z", timezone: "Asia/Ho_Chi_Minh" })).toBe(
      "Once, at 2027-01-01 09:00, Asia/Ho_Chi_Minh",
    );
    expect(describeSchedule({ ...NONE, runAt: new Date("2027-01-01T02:00:00Z") })).toBe(
      "Once, at 2027-01-01 02:00, UTC",
    );
  });

  it("falls back to the expression for shapes without plain words, and for invalid ones", () => {
    expect(words("0 0 */2 * *")).toBe("Cron 0 0 */2 * *, UTC");
    expect(words("1-59/7 3 * * *")).toBe("Cron 1-59/7 3 * * *, UTC");
    expect(words("61 * * * *")).toBe("Cron 61 * * * *, UTC");
    expect(describeSchedule(NONE)).toBe("Never");
  });
});
