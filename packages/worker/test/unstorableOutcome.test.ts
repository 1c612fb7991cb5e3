/* eslint-disable @typescript-eslint/require-await -- handlers are async by contract; these have nothing to await */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHttpTask, createTaskRegistry, type RunWorker, type TaskDefinition } from "../src/index.js";
import { startTestServer, type TestServer } from "./httpServer.js";
import { createHarness, nextEvent, type Harness } from "./support.js";

let h: Harness;
let server: TestServer;
beforeAll(async () => {
  h = await createHarness();
  server = await startTestServer();
});
beforeEach(async () => {
  await h.useNamespace();
  server.requests.length = 0;
});
afterEach(async () => {
  await h.t.sql`DROP TRIGGER IF EXISTS refuse_marked_results ON runs`;
});

function startWorkerWith(...tasks: TaskDefinition[]): RunWorker {
  const registry = createTaskRegistry().register(
    createHttpTask({ allow: ["127.0.0.1"], retries: { attempts: 3, backoffMs: 50 } }),
  );
  for (const task of tasks) registry.register(task);
  return h.startWorker({ registry });
}

async function runToEnd(worker: RunWorker, task: string, payload: unknown = {}) {
  const run = await h.insertRun(task, payload);
  const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
  await h.enqueue(run);
  await finished;
  return h.readRun(run.id);
}

describe("an outcome PostgreSQL would refuse", () => {
  it("stores an http answer with a NUL in its first KiB once, with the NUL escaped and a note", async () => {
    server.handle((_req, res) => res.end("before\u0000after"));
    const row = await runToEnd(startWorkerWith(), "http", { url: `${server.url}/nul` });
    expect(server.requests).toHaveLength(1);
    expect(row.status).toBe("succeeded");
    expect(row.result).toMatchObject({
      note: expect.stringMatching(/1 NUL character\(s\) written as \\u0000/) as unknown,
      value: { status: 200, bodyPreview: "before\\u0000after" },
    });
  });

  it("stores a JSON answer whose 1,024-character cut falls inside a surrogate pair, cut before the pair", async () => {
    const body = JSON.stringify({ text: `${"x".repeat(1014)}😀 and more` });
    expect(body.slice(0, 1024).at(-1)).toBe("\ud83d");
    server.handle((_req, res) => res.setHeader("content-type", "application/json").end(body));
    const row = await runToEnd(startWorkerWith(), "http", { url: `${server.url}/emoji` });
    expect(server.requests).toHaveLength(1);
    expect(row.status).toBe("succeeded");
    expect(row.result).toMatchObject({ status: 200, bodyPreview: body.slice(0, 1023) });
  });

  it("stores a result holding a lone surrogate and a NUL in a key with U+FFFD, the escape and a note", async () => {
    let calls = 0;
    const odd: TaskDefinition = {
      name: "odd_result",
      handler: async () => {
        calls++;
        return { "k\u0000": "half \ud83d pair" };
      },
    };
    const row = await runToEnd(startWorkerWith(odd), "odd_result");
    expect(calls).toBe(1);
    expect(row.status).toBe("succeeded");
    expect(row.result).toEqual({
      note: "changed to be storable: 1 NUL character(s) written as \\u0000, 1 lone surrogate(s) replaced by U+FFFD",
      value: { "k\\u0000": "half \ufffd pair" },
    });
  });

  it("records an error message with a NUL and a lone surrogate once, readable, as the run's error", async () => {
    let calls = 0;
    const failing: TaskDefinition = {
      name: "nul_error",
      retries: { attempts: 1, backoffMs: 10 },
      handler: async () => {
        calls++;
        throw new Error("bad\u0000byte \udc00");
      },
    };
    const row = await runToEnd(startWorkerWith(failing), "nul_error");
    expect(calls).toBe(1);
    expect(row.status).toBe("failed");
    expect(row.error).toBe(
      "bad\\u0000byte \ufffd [changed to be storable: 1 NUL character(s) written as \\u0000, 1 lone surrogate(s) replaced by U+FFFD]",
    );
  });

  it("stores a note instead of a result PostgreSQL refuses for a constraint, without running the task again", async () => {
    await h.t.sql.unsafe(`
      CREATE OR REPLACE FUNCTION refuse_marked_result() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.result::text LIKE '%refuse-me%' THEN
          RAISE EXCEPTION 'result refused' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_marked_results BEFORE UPDATE ON runs
        FOR EACH ROW EXECUTE FUNCTION refuse_marked_result();`);
    let calls = 0;
    const marked: TaskDefinition = {
      name: "marked_result",
      handler: async () => {
        calls++;
        return { word: "refuse-me" };
      },
    };
    const row = await runToEnd(startWorkerWith(marked), "marked_result");
    expect(calls).toBe(1);
    expect(row.status).toBe("succeeded");
    expect(row.result).toEqual({
      omitted:
        "the result could not be stored (PostgreSQL refused to record the run's success (SQLSTATE 23514))",
    });
  });
});
