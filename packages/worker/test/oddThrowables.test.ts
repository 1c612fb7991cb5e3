import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTaskRegistry } from "../src/index.js";
import { createHarness, nextEvent, type Harness } from "./support.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
beforeEach(async () => {
  await h.useNamespace();
});

const refuseEverything = () => {
  throw new Error("no access");
};
const hostileProxy = new Proxy(
  {},
  {
    get: refuseEverything,
    has: refuseEverything,
    ownKeys: refuseEverything,
    getPrototypeOf: refuseEverything,
    getOwnPropertyDescriptor: refuseEverything,
  },
);
const errorWithHostileMessage = Object.defineProperty(new Error("hidden"), "message", {
  get: refuseEverything,
});

const throwables: Array<[string, () => unknown, RegExp]> = [
  ["an object without a prototype", (): unknown => Object.create(null), /^a non-Error was thrown: \{\}$/],
  ["a Symbol", () => Symbol("odd"), /^a non-Error was thrown: Symbol\(odd\)$/],
  [
    "an object whose toString throws",
    () => ({ toString: refuseEverything }),
    /^a non-Error was thrown: \{\}$/,
  ],
  [
    "a Proxy that throws on every access",
    () => hostileProxy,
    /^a non-Error was thrown: an object that cannot be described$/,
  ],
  ["undefined", () => undefined, /^a non-Error was thrown: undefined$/],
  ["an Error whose message getter throws", () => errorWithHostileMessage, /^Error$/],
];

describe("a task that throws something odd", () => {
  it.each(throwables)(
    "fails the run after the policy's attempts with an error text when it throws %s",
    async (_label, makeThrown, expectedError) => {
      let calls = 0;
      const registry = createTaskRegistry().register({
        name: "odd_thrower",
        retries: { attempts: 2, backoffMs: 10 },
        handler: () => {
          calls++;
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- odd rejections are the subject
          return Promise.reject(makeThrown());
        },
      });
      const worker = h.startWorker({ registry });
      const run = await h.insertRun("odd_thrower");
      const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
      await h.enqueue(run);
      expect(await finished).toMatchObject({ status: "failed", attempt: 2 });
      expect(calls).toBe(2);
      const row = await h.readRun(run.id);
      expect(row).toMatchObject({ status: "failed", attempt: 2 });
      expect(row.error).toMatch(expectedError);
    },
  );
});
