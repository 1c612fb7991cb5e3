import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FORBIDDEN_KEYS, findForbiddenKey } from "../src/support/forbiddenKeys.js";
import { parseJsonWith } from "../src/support/parseJsonWith.js";
import { TimeoutError, withTimeout } from "../src/support/withTimeout.js";

describe("withTimeout", () => {
  it("settles like the promise when it settles first", async () => {
    await expect(withTimeout(Promise.resolve(7), 60_000, "answer")).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error("refused")), 60_000, "answer")).rejects.toThrow(
      "refused",
    );
  });
  it("rejects with a TimeoutError naming what did not answer", async () => {
    const never = new Promise<never>(() => undefined);
    const error: unknown = await withTimeout(never, 1, "the probe").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("the probe: no answer within 1 ms");
  });
});

describe("parseJsonWith", () => {
  const schema = z.object({ id: z.number() });
  it("returns the value when the text is JSON matching the schema", () => {
    expect(parseJsonWith(schema, '{"id":3}')).toEqual({ id: 3 });
  });
  it("returns undefined for text that is not JSON or does not match", () => {
    expect(parseJsonWith(schema, "{not json")).toBeUndefined();
    expect(parseJsonWith(schema, '{"id":"3"}')).toBeUndefined();
  });
});

describe("findForbiddenKey", () => {
  it("names the first key that reaches a prototype, at any depth", () => {
    expect(findForbiddenKey(JSON.parse('{"a":{"b":[{"__proto__":{}}]}}'))).toBe("a.b.0.__proto__");
    expect(findForbiddenKey({ constructor: {} }, "payload")).toBe("payload.constructor");
    expect(findForbiddenKey({ x: { prototype: 1 } }, "body")).toBe("body.x.prototype");
    expect(findForbiddenKey({ constructor: { prototype: {} } })).toBe("constructor.prototype");
  });
  it("finds nothing in plain JSON", () => {
    expect(findForbiddenKey({ a: [1, { b: "__proto__" }] })).toBeUndefined();
    expect([...FORBIDDEN_KEYS]).toEqual(["__proto__", "constructor", "prototype"]);
  });
});
