import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/args.js";
import { editDates } from "../src/commands/calendars.js";
import { COMMANDS } from "../src/commands/index.js";
import { UsageError } from "../src/errors.js";
import { formatLabels } from "../src/formatLabels.js";
import {
  applyLabelEdits,
  readLabelEdits,
  readListOption,
  readSelectorOption,
} from "../src/scheduleOptions.js";

describe("label, exclusion and calendar options", () => {
  it("reads repeated --label k=v, and k- as a removal in set only", () => {
    const { values } = parseCommandLine(
      ["set", "payroll", "--label", "team=finance", "--label", "legacy-", "--label", "note=a=b"],
      COMMANDS,
    );
    const edits = readLabelEdits(values, "set");
    expect(edits).toEqual({ set: { team: "finance", note: "a=b" }, remove: ["legacy"] });
    expect(applyLabelEdits({ legacy: "yes", team: "ops", tier: "gold" }, edits!)).toEqual({
      team: "finance",
      tier: "gold",
      note: "a=b",
    });
    expect(() => readLabelEdits({ label: ["legacy-"] }, "create")).toThrow(UsageError);
    expect(() => readLabelEdits({ label: ["=x"] }, "set")).toThrow(/"=x" is not KEY=VALUE or KEY-/);
    expect(readLabelEdits({}, "set")).toBeUndefined();
  });

  it("reads comma lists, repeated or not, an empty value meaning none", () => {
    expect(readListOption("2027-01-01, 2027-12-24/2027-12-26")).toEqual([
      "2027-01-01",
      "2027-12-24/2027-12-26",
    ]);
    expect(readListOption(["vn-public-holidays", "us-bank,eu-bank"])).toEqual([
      "vn-public-holidays",
      "us-bank",
      "eu-bank",
    ]);
    expect(readListOption("")).toEqual([]);
    expect(readListOption(undefined)).toBeUndefined();
  });

  it("joins repeated -l selectors into one comma list, which the API ANDs", () => {
    const { values } = parseCommandLine(["list", "-l", "team=finance", "--label", "!legacy"], COMMANDS);
    expect(readSelectorOption(values)).toBe("team=finance,!legacy");
    expect(readSelectorOption({})).toBeUndefined();
  });

  it("writes labels as k=v,k=v, cut with an ellipsis, a dash for none", () => {
    expect(formatLabels({ team: "finance", tier: "gold" })).toBe("team=finance,tier=gold");
    expect(formatLabels({ team: "finance", tier: "gold" }, 15)).toBe("team=finance,t…");
    expect(formatLabels({})).toBe("-");
  });

  it("adds and removes calendar dates, refusing to remove one the calendar does not list", () => {
    expect(
      editDates(["2027-01-01", "2027-09-02"], ["2027-04-30/2027-05-01", "2027-09-02"], ["2027-01-01"]),
    ).toEqual(["2027-09-02", "2027-04-30/2027-05-01"]);
    expect(() => editDates(["2027-01-01"], [], ["2027-01-02"])).toThrow(/does not list "2027-01-02"/);
  });
});
