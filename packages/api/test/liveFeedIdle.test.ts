import { Writable } from "node:stream";
import { createLogger, SCHEDULE_UPDATES_CHANNEL } from "@hotbeat/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestRedis, uniqueId, type TestDatabase } from "../../../test/helpers.js";
import { createLiveFeed, RESUME_WINDOW_MS, type LiveEvent, type LiveFeed } from "../src/live/liveFeed.js";

// The feed reads what changed only while someone follows it or may come back to resume.
let database: TestDatabase;
let feed: LiveFeed;
let nowMs = Date.parse("2030-01-01T00:00:00Z");
const logLines: Array<Record<string, unknown>> = [];
const lineWaiters = new Set<() => void>();

beforeAll(async () => {
  database = await createTestDatabase();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      for (const wake of lineWaiters) wake();
      done();
    },
  });
  feed = createLiveFeed({
    db: database.db,
    createSubscriber: () => createTestRedis(),
    namespace: uniqueId("ns"),
    log: createLogger({ level: "debug", format: "json", destination }),
    now: () => new Date(nowMs),
    sqlEditPollMs: 3_600_000,
  });
});
afterAll(async () => {
  await feed.close();
});

const publisher = createTestRedis();
async function change(name: string): Promise<void> {
  await database.sql`
    INSERT INTO schedules (name, task, cron) VALUES (${name}, 'log', '0 9 * * *')
    ON CONFLICT (name) DO UPDATE SET description = 'changed'`;
  await publisher.publish(SCHEDULE_UPDATES_CHANNEL, JSON.stringify({ name, version: 1, op: "upsert" }));
}

function nextEvent(test: (event: LiveEvent) => boolean): { event: Promise<LiveEvent>; stop: () => void } {
  let stop = () => undefined as void;
  const event = new Promise<LiveEvent>((resolve) => {
    stop = feed.follow((one) => test(one) && resolve(one)).stop;
  });
  return { event, stop };
}

async function nextLogLine(test: (line: Record<string, unknown>) => boolean): Promise<void> {
  const seen = logLines.length;
  for (let i = seen; ;) {
    for (; i < logLines.length; i += 1) if (test(logLines[i]!)) return;
    await new Promise<void>((resolve) => {
      const wake = () => (lineWaiters.delete(wake), resolve());
      lineWaiters.add(wake);
    });
  }
}

describe("the live feed with nobody following", () => {
  it("stops reading changes a while after its last follower left, and tells a late resume to reload", async () => {
    const first = uniqueId("idle_a_");
    const followed = nextEvent((event) => event.data.includes(`"${first}"`));
    const watchedFrom = logLines.length;
    await change(first);
    const seen = await followed.event;
    followed.stop();

    // Within the resume window the feed still reads, for a page that comes back.
    nowMs += RESUME_WINDOW_MS - 1;
    const second = uniqueId("idle_b_");
    await change(second);
    let gotSecond = () => undefined as void;
    const secondSeen = new Promise<void>((resolve) => (gotSecond = resolve));
    const back = feed.follow((event) => {
      if (event.data.includes(`"${second}"`)) gotSecond();
    }, seen.id);
    expect(back.isGap).toBe(false);
    await secondSeen;
    back.stop();
    const isSkipLine = (line: Record<string, unknown>) => line.msg === "live feed: nobody follows; not read";
    expect(logLines.slice(watchedFrom).filter(isSkipLine)).toEqual([]);

    // Past it, nothing is read, and a resume from before is a gap.
    nowMs += RESUME_WINDOW_MS;
    const skipped = nextLogLine(isSkipLine);
    await change(uniqueId("idle_c_"));
    await skipped;
    const late = feed.follow(() => undefined, seen.id);
    expect(late.isGap).toBe(true);
    late.stop();
  });
});
