import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  createTestRedis,
  redisUrl,
  testLogger,
  uniqueId,
  type TestDatabase,
} from "../../../test/helpers.js";
import { InvalidSchedule, ScheduleExists, ScheduleNotFound, VersionConflict } from "../src/errors.js";
import { SCHEDULE_UPDATES_CHANNEL } from "../src/messages/names.js";
import { parseScheduleUpdate, type ScheduleUpdateMessage } from "../src/messages/scheduleUpdate.js";
import { findSchedule, listScheduleHistory } from "../src/schedules/queries.js";
import { createScheduleWriter, type ScheduleWriter } from "../src/schedules/scheduleWriter.js";
import { createDb } from "../src/db/client.js";
import { releaseAfterFile } from "../../../test/fileTeardown.js";

let t: TestDatabase;
let writer: ScheduleWriter;
const published: ScheduleUpdateMessage[] = [];
const api = { actor: "tester", source: "api" as const };

beforeAll(async () => {
  t = await createTestDatabase();
  const publisher = createTestRedis();
  writer = createScheduleWriter({
    db: t,
    log: testLogger(),
    defaultTimezone: "UTC",
    publisher: {
      publish: async (channel, message) => {
        published.push(parseScheduleUpdate(message)!);
        return publisher.publish(channel, message);
      },
    },
  });
});

const report = {
  name: "morning_intelligence_report",
  task: "reports.morning",
  cron: "30 7 * * *",
  timezone: "Asia/Ho_Chi_Minh",
};

describe("the write path", () => {
  it("creates a schedule with defaults, version 1, a history row and one message", async () => {
    const before = published.length;
    const { schedule, changed } = await writer.create(report, api);
    expect(changed).toBe(true);
    expect(schedule).toMatchObject({
      ...report,
      version: 1,
      enabled: true,
      misfirePolicy: "run_once",
      updatedBy: "tester",
    });
    expect(published.slice(before)).toEqual([{ name: report.name, version: 1, op: "upsert" }]);
    const history = await listScheduleHistory(t.db, report.name);
    expect(history.map((h) => [h.op, h.version, h.source, h.actor])).toEqual([
      ["insert", 1, "api", "tester"],
    ]);
  });

  it("refuses a second create of the same name with ScheduleExists", async () => {
    await expect(writer.create(report, api)).rejects.toBeInstanceOf(ScheduleExists);
  });

  it("updates partially, keeps the other fields and bumps the version", async () => {
    const { schedule } = await writer.update(
      report.name,
      { cron: "15 9 * * *" },
      { ...api, source: "cli", note: "later" },
    );
    expect(schedule).toMatchObject({
      cron: "15 9 * * *",
      timezone: "Asia/Ho_Chi_Minh",
      task: "reports.morning",
      version: 2,
    });
    const [latest] = await listScheduleHistory(t.db, report.name);
    expect(latest).toMatchObject({ op: "update", version: 2, source: "cli", note: "later" });
  });

  it("answers an update that changes nothing without writing or publishing", async () => {
    const before = published.length;
    const { schedule, changed } = await writer.update(report.name, { cron: "15 9 * * *" }, api);
    expect(changed).toBe(false);
    expect(schedule.version).toBe(2);
    expect(published.length).toBe(before);
  });

  it("switches an interval schedule to cron with one field", async () => {
    await writer.create(
      { name: "inventory_health_check", task: "inventory.check", intervalSeconds: 21600 },
      api,
    );
    const { schedule } = await writer.update("inventory_health_check", { cron: "0 */6 * * *" }, api);
    expect(schedule).toMatchObject({ cron: "0 */6 * * *", intervalSeconds: null, intervalAnchorAt: null });
  });

  it("records the write's actor, source and note, and a raw SQL edit on the same connection as sql", async () => {
    // One connection: the write and the raw edit after it share a session, so a change context
    // that outlived its own statement would be recorded on the raw edit.
    const single = createDb(t.url, { max: 1 });
    releaseAfterFile(() => single.close());
    const onOne = createScheduleWriter({
      db: single,
      log: testLogger(),
      defaultTimezone: "UTC",
      publisher: { publish: () => Promise.resolve(0) },
    });
    const name = uniqueId("carried_");
    await onOne.create({ name, task: "log", cron: "0 9 * * *" }, api);
    await onOne.update(name, { cron: "0 10 * * *" }, { actor: "ana", source: "ui", note: "moved" });
    await single.sql`UPDATE schedules SET cron = '0 11 * * *' WHERE name = ${name}`;
    const [session] = await single.sql<{ user: string }[]>`SELECT session_user::text AS user`;
    const history = await listScheduleHistory(t.db, name);
    expect(history.map((h) => [h.version, h.actor, h.source, h.note])).toEqual([
      [3, session!.user, "sql", null],
      [2, "ana", "ui", "moved"],
      [1, "tester", "api", null],
    ]);
  });

  it("applies every one of many concurrent updates of one row, each once with its own note", async () => {
    const name = uniqueId("hot_");
    await writer.create({ name, task: "log", cron: "0 0 * * *" }, api);
    const minutes = Array.from({ length: 12 }, (_, i) => i + 1);
    const results = await Promise.all(
      minutes.map((m) => writer.update(name, { cron: `${m} 0 * * *` }, { ...api, note: `minute ${m}` })),
    );
    expect(results.map((r) => r.schedule.version).sort((a, b) => a - b)).toEqual(minutes.map((m) => m + 1));
    const history = (await listScheduleHistory(t.db, name)).filter((h) => h.op === "update");
    expect(history.map((h) => h.note).sort()).toEqual(minutes.map((m) => `minute ${m}`).sort());
    // Each history row is the change its own write answered with.
    for (const r of results) {
      const row = history.find((h) => h.version === r.schedule.version)!;
      expect((row.newValue as { cron: string }).cron).toBe(r.schedule.cron);
    }
    const last = results.find((r) => r.schedule.version === minutes.length + 1)!;
    expect((await findSchedule(t.db, name))!.cron).toBe(last.schedule.cron);
  });

  it("writes each shape of patch alike however often it repeats, SQL NULL and instants included", async () => {
    // The second write of a shape runs the statement prepared by the first.
    for (const name of [uniqueId("shape_a_"), uniqueId("shape_b_")]) {
      const alert = { url: "https://hooks.example.com/x", afterFailures: 3 };
      await writer.create({ name, task: "log", cron: "0 9 * * *", alert, payload: { n: 1 } }, api);
      const startAt = "2031-02-03T04:05:06.789Z";
      const { schedule } = await writer.update(name, { alert: null, startAt, payload: { n: 2 } }, api);
      expect(schedule).toMatchObject({
        alert: null,
        startAt: new Date(startAt),
        payload: { n: 2 },
        version: 2,
      });
      const [stored] = await t.sql<{ isNull: boolean; isStartAt: boolean; payload: unknown }[]>`
        SELECT alert IS NULL AS "isNull", start_at = ${startAt}::timestamptz AS "isStartAt", payload
        FROM schedules WHERE name = ${name}`;
      expect(stored).toEqual({ isNull: true, isStartAt: true, payload: { n: 2 } });
    }
  });

  it("refuses a delete at a stale expected version with VersionConflict and keeps the row", async () => {
    const name = uniqueId("kept_");
    await writer.create({ name, task: "log", cron: "0 9 * * *" }, api);
    await writer.update(name, { cron: "0 10 * * *" }, api);
    await expect(writer.remove(name, { ...api, expectedVersion: 1 })).rejects.toBeInstanceOf(VersionConflict);
    expect((await findSchedule(t.db, name))!.version).toBe(2);
    expect(await writer.remove(name, { ...api, expectedVersion: 2 })).toEqual({ name, version: 3 });
  });

  it("refuses a stale expected version with VersionConflict and changes nothing", async () => {
    await expect(
      writer.update(report.name, { cron: "0 6 * * *" }, { ...api, expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect((await findSchedule(t.db, report.name))!.cron).toBe("15 9 * * *");
  });

  it("lets exactly one of two concurrent updates with the same expected version win", async () => {
    const { schedule } = await writer.create({ name: "race", task: "log", cron: "0 1 * * *" }, api);
    const results = await Promise.allSettled([
      writer.update("race", { cron: "0 2 * * *" }, { ...api, expectedVersion: schedule.version }),
      writer.update("race", { cron: "0 3 * * *" }, { ...api, expectedVersion: schedule.version }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(VersionConflict);
    expect((await findSchedule(t.db, "race"))!.version).toBe(2);
  });

  it("publishes after commit: a subscriber reading on the message sees the new version", async () => {
    // The channel is shared by every test file: a name of its own keeps others' messages out.
    const name = uniqueId("watched_");
    await writer.create({ name, task: "log", cron: "0 9 * * *" }, api);
    const subscriber = new Redis(redisUrl());
    try {
      await subscriber.subscribe(SCHEDULE_UPDATES_CHANNEL);
      const seen = new Promise<number>((resolve) => {
        subscriber.on("message", (_channel, raw) => {
          const message = parseScheduleUpdate(raw);
          if (message?.name !== name) return;
          // Read at the very moment the message arrives: the row must already be committed.
          void findSchedule(t.db, name).then((row) => resolve(row!.version));
        });
      });
      const { schedule } = await writer.update(name, { cron: "0 10 * * *" }, api);
      expect(schedule.version).toBe(2);
      expect(await seen).toBe(schedule.version);
    } finally {
      subscriber.disconnect();
    }
  });

  it("never fails a write when the publish fails, and logs it instead", async () => {
    const broken = createScheduleWriter({
      db: t,
      log: testLogger(),
      defaultTimezone: "UTC",
      publishTimeoutMs: 50,
      publisher: { publish: () => new Promise(() => undefined) },
    });
    const { schedule } = await broken.update(report.name, { cron: "0 11 * * *" }, api);
    expect((await findSchedule(t.db, report.name))!.version).toBe(schedule.version);
  });

  it("deletes with a history row one version past the last", async () => {
    await writer.create({ name: "short_lived", task: "log", runAt: "2030-01-01T00:00:00Z" }, api);
    const result = await writer.remove("short_lived", api);
    expect(result).toEqual({ name: "short_lived", version: 2 });
    expect(await findSchedule(t.db, "short_lived")).toBeUndefined();
    await expect(writer.remove("short_lived", api)).rejects.toBeInstanceOf(ScheduleNotFound);
  });

  it("imports atomically: one bad item and nothing is written, naming the item's field", async () => {
    const items = [
      { name: "imp_a", task: "log", cron: "0 8 * * 1" },
      { name: "imp_b", task: "log", cron: "61 8 * * 1" },
    ];
    let caught: unknown;
    try {
      await writer.importMany(items, { actor: "ops", source: "import" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidSchedule);
    expect((caught as InvalidSchedule).details.map((d) => d.field)).toEqual(["schedules[1].cron"]);
    expect(await findSchedule(t.db, "imp_a")).toBeUndefined();
  });

  it("dry-runs an import without writing, then applies it", async () => {
    const items = [
      { name: "imp_a", task: "log", cron: "0 8 * * 1" },
      { ...report, cron: "0 11 * * *", version: 99, createdAt: "x" },
    ];
    const dry = await writer.importMany(items, { actor: "ops", source: "import" }, { dryRun: true });
    expect(dry.map((o) => [o.name, o.action])).toEqual([
      ["imp_a", "create"],
      [report.name, "unchanged"],
    ]);
    expect(await findSchedule(t.db, "imp_a")).toBeUndefined();
    const applied = await writer.importMany(items, { actor: "ops", source: "import" });
    expect(applied.map((o) => [o.name, o.action, o.version])).toEqual([
      ["imp_a", "create", 1],
      [report.name, "unchanged", (await findSchedule(t.db, report.name))!.version],
    ]);
  });
});
