import type { AddressInfo } from "node:net";
import { publishRunUpdates, recordRun, getSchedule } from "@hotbeat/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "./testApi.js";

// The page's live stream, read as the page reads it: fetch with a streamed body.
let t: TestApi;
let baseUrl: string;
const aborts: AbortController[] = [];

interface StreamEvent {
  id?: string;
  event: string;
  data: string;
}

/** Opens the stream and returns a function that waits for the next event matching `test`. */
async function openStream(headers: Record<string, string> = {}) {
  const abort = new AbortController();
  aborts.push(abort);
  const response = await fetch(`${baseUrl}/api/v1/events`, { headers, signal: abort.signal });
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const queue: StreamEvent[] = [];
  async function next(test: (event: StreamEvent) => boolean): Promise<StreamEvent> {
    for (;;) {
      const index = queue.findIndex(test);
      if (index !== -1) return queue.splice(0, index + 1).at(-1)!;
      const chunk = await reader.read();
      if (chunk.done) throw new Error("stream ended");
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((line) => line && !line.startsWith(":"))
            .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
        );
        if (fields.event) queue.push({ id: fields.id, event: fields.event, data: fields.data ?? "" });
      }
    }
  }
  return { next, close: () => abort.abort() };
}

beforeAll(async () => {
  // Raw SQL edits reach the page by the feed's poll of the history: a short one here.
  t = await createTestApi({ pollIntervalMs: 200 });
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const abort of aborts) abort.abort();
});

const create = (name: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: { name, task: "log", cron: "0 9 * * *" },
  });

describe("GET /api/v1/events", () => {
  it("sends a changed schedule as the list shows it, and a deleted one by name", async () => {
    const stream = await openStream();
    expect((await create("live_report")).statusCode).toBe(201);
    // schedule_updates is one channel for every deployment (and every test file): pick ours.
    const created = await stream.next((e) => e.event === "schedule" && e.data.includes('"live_report"'));
    expect(JSON.parse(created.data)).toMatchObject({
      name: "live_report",
      version: 1,
      summary: "At 09:00 every day, UTC",
      nextFireAt: expect.any(String),
    });
    await t.app.inject({ method: "DELETE", url: "/api/v1/schedules/live_report" });
    const deleted = await stream.next(
      (e) => e.event === "schedule" && e.data.includes('"live_report"') && e.data.includes("deleted"),
    );
    expect(JSON.parse(deleted.data)).toEqual({ name: "live_report", deleted: true });
    stream.close();
  });

  it("says nothing of a name this database never held, which another deployment published", async () => {
    const stream = await openStream();
    await t.redis.publish("schedule_updates", JSON.stringify({ name: "not_ours", version: 7, op: "delete" }));
    expect((await create("ours_after")).statusCode).toBe(201);
    // Both messages arrive in this order; the first event naming either must be our own.
    const first = await stream.next((e) => e.data.includes('"not_ours"') || e.data.includes('"ours_after"'));
    expect(JSON.parse(first.data)).toMatchObject({ name: "ours_after" });
    stream.close();
  });

  it("sends a run when its update is published, read from its row", async () => {
    expect((await create("live_runs")).statusCode).toBe(201);
    const stream = await openStream();
    const schedule = await getSchedule(t.database.db, "live_runs");
    const { run } = await recordRun(t.database.db, { schedule, scheduledAt: new Date(), kind: "manual" });
    await publishRunUpdates(t.redis, t.namespace, [run.id]);
    const event = await stream.next((e) => e.event === "run");
    expect(JSON.parse(event.data)).toMatchObject({ id: run.id, schedule: "live_runs", status: "queued" });
    stream.close();
  });

  it("replays what came after Last-Event-ID, and says reset for an id it does not hold", async () => {
    const first = await openStream();
    await create("resume_a");
    const seen = await first.next((e) => e.event === "schedule" && e.data.includes("resume_a"));
    first.close();
    await create("resume_b");
    const resumed = await openStream({ "last-event-id": seen.id! });
    const replayed = await resumed.next((e) => e.event === "schedule" && e.data.includes('"resume_b"'));
    expect(JSON.parse(replayed.data)).toMatchObject({ name: "resume_b" });
    resumed.close();
    const stale = await openStream({ "last-event-id": "elsewhere-1" });
    expect((await stale.next(() => true)).event).toBe("reset");
    stale.close();
  });

  it("sends a schedule edited by raw SQL within the poll, with its last run", async () => {
    expect((await create("sql_edited")).statusCode).toBe(201);
    const schedule = await getSchedule(t.database.db, "sql_edited");
    const scheduledAt = new Date(Date.now() - 60_000);
    await recordRun(t.database.db, { schedule, scheduledAt, kind: "manual" });
    const stream = await openStream();
    await t.database.sql`UPDATE schedules SET cron = '15 7 * * *' WHERE name = 'sql_edited'`;
    // The creation may still come first (its message, or the poll that reads it back): a client
    // applies by version, and what this test is about is the edit's own event.
    const edited = await stream.next(
      (e) => e.event === "schedule" && e.data.includes('"sql_edited"') && e.data.includes('"version":2'),
    );
    expect(JSON.parse(edited.data)).toMatchObject({
      name: "sql_edited",
      version: 2,
      summary: "At 07:15 every day, UTC",
      lastRun: { kind: "manual", status: "queued", scheduledAt: scheduledAt.toISOString() },
    });
    await t.database.sql`DELETE FROM schedules WHERE name = 'sql_edited'`;
    const deleted = await stream.next((e) => e.event === "schedule" && e.data.includes('"sql_edited"'));
    expect(JSON.parse(deleted.data)).toEqual({ name: "sql_edited", deleted: true });
    stream.close();
  });

  it("sends a write through the API once: its own message, not the poll as well", async () => {
    const stream = await openStream();
    const seen = new Map<string, StreamEvent>();
    const note = (e: StreamEvent) => (seen.set(e.id ?? String(seen.size), e), e);
    expect((await create("written_once")).statusCode).toBe(201);
    await stream.next((e) => note(e).data.includes('"written_once"'));
    expect((await create("edited_after")).statusCode).toBe(201);
    await stream.next((e) => note(e).data.includes('"edited_after"'));
    // Every poll that could see the API's write runs before the one that finds this SQL edit.
    await t.database.sql`UPDATE schedules SET cron = '5 5 * * *' WHERE name = 'edited_after'`;
    await stream.next((e) => note(e).data.includes('"edited_after"') && e.data.includes('"version":2'));
    const once = [...seen.values()].filter((e) => e.data.includes('"written_once"'));
    expect(once.length).toBe(1);
    stream.close();
  });
});
