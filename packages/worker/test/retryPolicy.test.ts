/* eslint-disable @typescript-eslint/require-await -- handlers are async by contract; most test handlers have nothing to await */
import { describe, expect, it } from "vitest";
import { testLogger } from "../../../test/helpers.js";
import { parseRetryAfter } from "../src/outbound/parseRetryAfter.js";
import { retryDbWrite } from "../src/retryDbWrite.js";
import { computeRetryDelayMs, createTaskRegistry, DEFAULT_RETRY_POLICY } from "../src/index.js";

describe("retry delays", () => {
  const policy = { attempts: 5, backoffMs: 1000, maxBackoffMs: 5000 };

  it("doubles the backoff after each failed attempt, up to the cap", () => {
    expect([1, 2, 3, 4].map((attempt) => computeRetryDelayMs(policy, attempt))).toEqual([
      1000, 2000, 4000, 5000,
    ]);
  });

  it("waits what a server's Retry-After asked for, within the cap", () => {
    expect(computeRetryDelayMs(policy, 1, 3000)).toBe(3000);
    expect(computeRetryDelayMs(policy, 1, 60_000)).toBe(5000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = new Date("2026-03-01T09:15:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Sun, 01 Mar 2026 09:15:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("the task registry", () => {
  it("fills in the defaults and refuses a second task of the same name", () => {
    const registry = createTaskRegistry().register({ name: "a", handler: async () => null });
    expect(registry.get("a")).toMatchObject({ timeoutMs: 60_000, retries: DEFAULT_RETRY_POLICY });
    expect(() => registry.register({ name: "a", handler: async () => null })).toThrow(/already registered/);
  });

  it("refuses a timeout Node's timers cannot hold and a policy without an attempt", () => {
    const registry = createTaskRegistry();
    expect(() => registry.register({ name: "b", handler: async () => null, timeoutMs: 2 ** 31 })).toThrow(
      /timeoutMs/,
    );
    expect(() =>
      registry.register({ name: "c", handler: async () => null, retries: { attempts: 0, backoffMs: 1 } }),
    ).toThrow(/retries.attempts/);
  });
});

describe("writes to the run ledger", () => {
  it("are tried again while PostgreSQL is away, and give up after the window", async () => {
    let calls = 0;
    const flaky = () =>
      ++calls < 3 ? Promise.reject(new Error("ECONNREFUSED")) : Promise.resolve("written");
    expect(await retryDbWrite(flaky, { what: "write", log: testLogger, maxElapsedMs: 5000 })).toBe("written");
    expect(calls).toBe(3);
    const down = () => Promise.reject(new Error("ECONNREFUSED"));
    await expect(
      retryDbWrite(down, { what: "record the run", log: testLogger, maxElapsedMs: 250 }),
    ).rejects.toThrow(/could not record the run for \d+ ms: ECONNREFUSED/);
  });
});
