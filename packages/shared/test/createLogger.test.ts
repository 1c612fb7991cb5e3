import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { chooseLogFormat, createLogger, type LogFormat } from "../src/logging/createLogger.js";

function logOneLine(format: LogFormat | undefined): string {
  let text = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  createLogger({ level: "info", name: "hotbeat-test", format, destination }).info({ runs: 3 }, "fired");
  return text;
}

describe("the log format", () => {
  it("is pretty at a terminal and JSON elsewhere, unless LOG_FORMAT forces one", () => {
    expect(chooseLogFormat(undefined, true)).toBe("pretty");
    expect(chooseLogFormat(undefined, false)).toBe("json");
    expect(chooseLogFormat("json", true)).toBe("json");
    expect(chooseLogFormat("pretty", false)).toBe("pretty");
  });

  it("writes one JSON object a line when JSON", () => {
    const line = JSON.parse(logOneLine("json")) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, name: "hotbeat-test", msg: "fired", runs: 3 });
  });

  it("writes pino-pretty's text, level and message first, when pretty", () => {
    const text = logOneLine("pretty");
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text).toMatch(/INFO \(hotbeat-test\/\d+\): fired\n\s+runs: 3/);
  });

  it("writes JSON to a destination that is not a terminal when nothing is forced", () => {
    expect(JSON.parse(logOneLine(undefined))).toMatchObject({ msg: "fired" });
  });
});
