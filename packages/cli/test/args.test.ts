import { describe, expect, it } from "vitest";
import { formatCommandHelp, formatGeneralHelp, parseCommandLine } from "../src/args.js";
import { COMMANDS } from "../src/commands/index.js";
import { UsageError } from "../src/errors.js";
import { readCronEdit, readKindOptions } from "../src/scheduleOptions.js";

describe("parseCommandLine", () => {
  it("finds the command, its positionals and options, with global options anywhere", () => {
    const line = parseCommandLine(
      ["--json", "set", "morning_intelligence_report", "--hour", "7", "--minute", "30"],
      COMMANDS,
    );
    expect(line).toMatchObject({
      command: "set",
      positionals: ["morning_intelligence_report"],
      json: true,
      help: false,
    });
    expect(line.values).toMatchObject({ hour: "7", minute: "30" });
  });
  it("skips the value of --url when looking for the command", () => {
    expect(parseCommandLine(["--url", "http://h:1", "list"], COMMANDS)).toMatchObject({
      command: "list",
      url: "http://h:1",
    });
  });
  it("reads -n as the count of next", () => {
    expect(parseCommandLine(["next", "x", "-n", "3"], COMMANDS).values.count).toBe("3");
  });
  it("reads help COMMAND and COMMAND --help as help", () => {
    expect(parseCommandLine(["help", "set"], COMMANDS)).toMatchObject({ command: "set", help: true });
    expect(parseCommandLine(["set", "--help"], COMMANDS)).toMatchObject({ command: "set", help: true });
    expect(parseCommandLine(["set", "-h"], COMMANDS)).toMatchObject({ command: "set", help: true });
    expect(parseCommandLine([], COMMANDS)).toMatchObject({ command: undefined, help: false });
  });
  it("does not demand positionals when help is asked", () => {
    expect(parseCommandLine(["get", "--help"], COMMANDS).help).toBe(true);
  });
  it("refuses an unknown command, an unknown option, a missing value and extra arguments", () => {
    expect(() => parseCommandLine(["frobnicate"], COMMANDS)).toThrow(/unknown command "frobnicate"/);
    expect(() => parseCommandLine(["list", "--colour"], COMMANDS)).toThrow(/unknown option '--colour'/);
    expect(() => parseCommandLine(["set", "x", "--hour"], COMMANDS)).toThrow(UsageError);
    expect(() => parseCommandLine(["get"], COMMANDS)).toThrow(/missing argument; usage: hotbeat get NAME/);
    expect(() => parseCommandLine(["get", "a", "b"], COMMANDS)).toThrow(/unexpected argument "b"/);
  });
});

describe("help", () => {
  it("lists every command", () => {
    const help = formatGeneralHelp(COMMANDS);
    for (const command of COMMANDS) expect(help).toContain(`  ${command.name} `);
    expect(help).toContain("Exit codes: 0 done, 1 refused by the API, 2 usage error, 3 API unreachable.");
  });
  it("shows usage, options and examples of a command", () => {
    const help = formatCommandHelp(COMMANDS.find((c) => c.name === "set")!);
    expect(help).toMatch(/^Usage: hotbeat set NAME/);
    expect(help).toContain("--days DAYS");
    expect(help).toContain("hotbeat set inventory_health_check --interval 14400");
  });
});

describe("readKindOptions", () => {
  it("turns --cron, --every, --interval and --at into API fields", () => {
    expect(readKindOptions({ cron: "0 8 * * 1" }, "set")).toEqual({ cron: "0 8 * * 1" });
    expect(readKindOptions({ every: "6h" }, "set")).toEqual({ intervalSeconds: 21_600 });
    expect(readKindOptions({ interval: "14400" }, "set")).toEqual({ intervalSeconds: 14_400 });
    expect(readKindOptions({ at: "2026-05-01T09:00:00+07:00" }, "set")).toEqual({
      runAt: "2026-05-01T09:00:00+07:00",
    });
    expect(readKindOptions({}, "set")).toEqual({});
  });
  it("refuses two kinds at once and an --at that is no instant", () => {
    expect(() => readKindOptions({ cron: "* * * * *", every: "1h" }, "set")).toThrow(
      /--cron and --every exclude each other/,
    );
    expect(() => readKindOptions({ at: "tomorrow" }, "create")).toThrow(/--at/);
  });
});

describe("readCronEdit", () => {
  it("edits the stored cron only when --hour, --minute or --days is given", () => {
    expect(readCronEdit({ hour: "9" }, "15 7 * * 1")).toBe("15 9 * * 1");
    expect(readCronEdit({ days: "weekdays" }, "0 8 * * *")).toBe("0 8 * * 1-5");
    expect(readCronEdit({}, "0 8 * * *")).toBeUndefined();
  });
  it("refuses an hour of 24", () => {
    expect(() => readCronEdit({ hour: "24" }, null)).toThrow(/--hour/);
  });
});
