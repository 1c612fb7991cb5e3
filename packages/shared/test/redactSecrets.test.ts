import { describe, expect, it } from "vitest";
import { redactSecretsInText, serializeError } from "../src/logging/redactSecrets.js";

const SECRET = "s3cr3t-planted-value";

describe("serializeError", () => {
  it("drops the bound values Drizzle and postgres.js keep on a failed query's error", () => {
    const driverError = Object.assign(new Error("insert or update violates check constraint"), {
      code: "23514",
      where: `PL/pgSQL function refuse() line 3 with ${SECRET}`,
      parameters: [SECRET],
      args: [SECRET],
    });
    const queryError = Object.assign(new Error(`Failed query: insert\nparams: ${SECRET},x`), {
      params: [SECRET],
      cause: driverError,
    });
    const line = serializeError(queryError) as Record<string, any>;
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line.message).toBe("Failed query: insert\nparams: [not logged]");
    expect(line.cause).toMatchObject({ code: "23514", parameters: "[not logged]", where: "[not logged]" });
  });

  it("never throws on a Proxy, a throwing getter, a bare object or a symbol", () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error("no prototype");
        },
        ownKeys: () => {
          throw new Error("no keys");
        },
      },
    );
    const getter = new Error("with a getter");
    Object.defineProperty(getter, "cause", {
      get: () => {
        throw new Error("no cause");
      },
    });
    for (const thrown of [hostile, getter, Object.create(null), Symbol("odd"), undefined, () => 1]) {
      expect(() => JSON.stringify(serializeError(thrown))).not.toThrow();
    }
    expect(serializeError(getter)).toMatchObject({ type: "Error", message: "with a getter" });
    expect(serializeError(Symbol("odd"))).toEqual({ type: "thrown", message: "Symbol(odd)" });
  });

  it("censors secret header names and credentials in the text of an error's fields", () => {
    const error = Object.assign(new Error(`GET https://hook:${SECRET}@example.com failed`), {
      headers: { "X-Api-Key": SECRET, Authorization: `Basic ${SECRET}` },
      response: `{"token":"${SECRET}"}`,
    });
    expect(JSON.stringify(serializeError(error))).not.toContain(SECRET);
  });
});

describe("redactSecretsInText", () => {
  it("censors bearer, basic and token values and a URL's password, whatever the user", () => {
    const text = `Bearer ${SECRET}; Basic ${SECRET}, Token ${SECRET} redis://:${SECRET}@r:6379 postgres://u:${SECRET}@db/x`;
    const clean = redactSecretsInText(text);
    expect(clean).not.toContain(SECRET);
    expect(clean).toContain("postgres://u:***@db/x");
  });
});
