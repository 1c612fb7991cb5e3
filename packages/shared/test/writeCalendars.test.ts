import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testLogger, type TestDatabase } from "../../../test/helpers.js";
import {
  CalendarExists,
  CalendarInUse,
  CalendarNotFound,
  CalendarVersionConflict,
  InvalidCalendar,
} from "../src/calendars/calendarErrors.js";
import { findCalendar, findMissingCalendars, listCalendarHistory } from "../src/calendars/calendarQueries.js";
import { createCalendarWriter, type CalendarWriter } from "../src/calendars/writeCalendars.js";
import { parseScheduleUpdate, type ScheduleUpdateMessage } from "../src/messages/scheduleUpdate.js";
import { findSchedule, listScheduleHistory } from "../src/schedules/queries.js";
import { createScheduleWriter, type ScheduleWriter } from "../src/schedules/scheduleWriter.js";

let t: TestDatabase;
let calendars: CalendarWriter;
let schedules: ScheduleWriter;
const published: ScheduleUpdateMessage[] = [];
const api = { actor: "tester", source: "api" as const };

beforeAll(async () => {
  t = await createTestDatabase();
  const publisher = {
    publish: (_channel: string, message: string) => {
      published.push(parseScheduleUpdate(message)!);
      return Promise.resolve(1);
    },
  };
  calendars = createCalendarWriter({ db: t, log: testLogger(), publisher });
  schedules = createScheduleWriter({ db: t, log: testLogger(), defaultTimezone: "UTC", publisher });
});

/** What the call published, in order. */
async function publishedBy(write: () => Promise<unknown>): Promise<ScheduleUpdateMessage[]> {
  const before = published.length;
  await write();
  return published.slice(before);
}

async function refusal(write: () => Promise<unknown>): Promise<Error & { details?: unknown }> {
  try {
    await write();
  } catch (error) {
    return error as Error;
  }
  throw new Error("the write was not refused");
}

describe("the calendar write path", () => {
  it("creates a calendar at version 1 with a history row naming the actor and the source", async () => {
    const {
      calendar,
      changed,
      schedules: touched,
    } = await calendars.create(
      { name: "vn-public-holidays", description: "Vietnam", dates: ["2027-01-01", "2027-04-30/2027-05-01"] },
      { ...api, note: "from the decree" },
    );
    expect(changed).toBe(true);
    expect(touched).toEqual([]);
    expect(calendar).toMatchObject({
      name: "vn-public-holidays",
      description: "Vietnam",
      dates: ["2027-01-01", "2027-04-30/2027-05-01"],
      version: 1,
      updatedBy: "tester",
    });
    const history = await listCalendarHistory(t.db, "vn-public-holidays");
    expect(history.map((h) => [h.op, h.version, h.actor, h.source, h.note])).toEqual([
      ["insert", 1, "tester", "api", "from the decree"],
    ]);
  });

  it("refuses a second calendar of the same name", async () => {
    await expect(calendars.create({ name: "vn-public-holidays" }, api)).rejects.toBeInstanceOf(
      CalendarExists,
    );
  });

  it("refuses a date that does not exist and an unknown field, naming each", async () => {
    const error = await refusal(() =>
      calendars.create({ name: "bad", dates: ["2027-01-01", "2027-02-01", "2027-03-01", "2027-02-30"] }, api),
    );
    expect(error).toBeInstanceOf(InvalidCalendar);
    expect(error.message).toBe(
      'dates.3: "2027-02-30" must be a real date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD',
    );
    const unknown = await refusal(() =>
      calendars.update("vn-public-holidays", { version: 3, colour: "red" }, api),
    );
    expect((unknown as InvalidCalendar).details).toEqual([
      { field: "version", message: "is maintained by hotbeat and cannot be set" },
      { field: "colour", message: "is not a field of a calendar" },
    ]);
    expect(await findCalendar(t.db, "bad")).toBeUndefined();
  });

  it("gives every schedule naming an edited calendar a new version, published after commit", async () => {
    const first = await schedules.create(
      { name: "payroll", task: "log", cron: "0 9 * * *", calendars: ["vn-public-holidays"] },
      api,
    );
    await schedules.create(
      { name: "invoices", task: "log", cron: "0 10 * * *", calendars: ["vn-public-holidays"] },
      api,
    );
    await schedules.create({ name: "unrelated", task: "log", cron: "0 11 * * *" }, api);
    let result: Awaited<ReturnType<CalendarWriter["update"]>> | undefined;
    const messages = await publishedBy(async () => {
      result = await calendars.update("vn-public-holidays", { dates: ["2027-01-01", "2027-09-02"] }, api);
    });
    expect(result).toMatchObject({ changed: true, usedBy: 2, calendar: { version: 2 } });
    expect(result!.schedules).toEqual([
      { name: "invoices", version: 2 },
      { name: "payroll", version: first.schedule.version + 1 },
    ]);
    expect(messages).toEqual([
      { name: "invoices", version: 2, op: "upsert" },
      { name: "payroll", version: 2, op: "upsert" },
    ]);
    const [latest] = await listScheduleHistory(t.db, "payroll");
    expect(latest).toMatchObject({ op: "update", version: 2, note: "calendar vn-public-holidays changed" });
    expect((await findSchedule(t.db, "unrelated"))!.version).toBe(1);
  });

  it("answers an edit that changes nothing without writing or publishing", async () => {
    let changed: boolean | undefined;
    const messages = await publishedBy(async () => {
      ({ changed } = await calendars.update(
        "vn-public-holidays",
        { dates: ["2027-01-01", "2027-09-02"] },
        api,
      ));
    });
    expect(changed).toBe(false);
    expect(messages).toEqual([]);
    expect((await findCalendar(t.db, "vn-public-holidays"))!.calendar.version).toBe(2);
  });

  it("refuses a stale expected version and an unknown calendar", async () => {
    await expect(
      calendars.update("vn-public-holidays", { description: "x" }, { ...api, expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(CalendarVersionConflict);
    await expect(calendars.update("nope", { description: "x" }, api)).rejects.toBeInstanceOf(
      CalendarNotFound,
    );
    await expect(calendars.remove("nope", api)).rejects.toBeInstanceOf(CalendarNotFound);
  });

  it("refuses to delete a calendar while schedules name it, listing ten of them and counting the rest", async () => {
    await calendars.create({ name: "busy" }, api);
    for (let i = 0; i < 12; i++)
      await schedules.create(
        { name: `busy_${String(i).padStart(2, "0")}`, task: "log", cron: "0 9 * * *", calendars: ["busy"] },
        api,
      );
    const error = await refusal(() => calendars.remove("busy", api));
    expect(error).toBeInstanceOf(CalendarInUse);
    expect(error.message).toBe(
      'calendar "busy" is named by 12 schedules (busy_00, busy_01, busy_02, busy_03, busy_04, busy_05, busy_06, busy_07, busy_08, busy_09 and 2 more); remove it from them first',
    );
    expect(await findCalendar(t.db, "busy")).toBeDefined();
  });

  it("deletes an unused calendar, its history recording the delete one version past the last", async () => {
    await calendars.create({ name: "short-lived", dates: ["2027-01-01"] }, api);
    expect(await calendars.remove("short-lived", { ...api, expectedVersion: 1 })).toEqual({
      name: "short-lived",
      version: 2,
    });
    expect(await findCalendar(t.db, "short-lived")).toBeUndefined();
    const history = await listCalendarHistory(t.db, "short-lived");
    expect(history.map((h) => [h.op, h.version])).toEqual([
      ["delete", 2],
      ["insert", 1],
    ]);
  });

  it("publishes the schedules raw SQL pointed at a calendar when that calendar is created", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron, calendars) VALUES ('early', 'log', '0 9 * * *', '["later-cal"]')`;
    let touched: unknown;
    const messages = await publishedBy(async () => {
      ({ schedules: touched } = await calendars.create({ name: "later-cal" }, api));
    });
    expect(touched).toEqual([{ name: "early", version: 2 }]);
    expect(messages).toEqual([{ name: "early", version: 2, op: "upsert" }]);
  });

  it("makes a calendar delete wait for a schedule save that names it, then refuse", async () => {
    await calendars.create({ name: "contested" }, api);
    let settled: Promise<unknown> | undefined;
    await t.db.transaction(async (tx) => {
      // What the schedule write path does first: lock the named calendars that exist.
      expect(await findMissingCalendars(tx, ["contested"], { lock: true })).toEqual([]);
      settled = calendars.remove("contested", api).then(
        () => "deleted",
        (error: unknown) => error,
      );
      // Until the delete is seen waiting on our lock (or, wrongly, finishes without waiting).
      await Promise.race([waitForLockWaiter(), settled]);
      await tx.execute(
        sql`INSERT INTO schedules (name, task, cron, calendars) VALUES ('contender', 'log', '0 9 * * *', '["contested"]')`,
      );
    });
    expect(await settled).toBeInstanceOf(CalendarInUse);
  });
});

describe("schedules and the calendars they name", () => {
  it("refuses a schedule naming a calendar that does not exist, on create, patch and import", async () => {
    const created = await refusal(() =>
      schedules.create(
        { name: "ghostly", task: "log", cron: "0 9 * * *", calendars: ["vn-public-holidays", "ghost"] },
        api,
      ),
    );
    expect(created.message).toBe('calendars.1: calendar "ghost" does not exist');
    expect(await findSchedule(t.db, "ghostly")).toBeUndefined();
    const patched = await refusal(() => schedules.update("unrelated", { calendars: ["ghost"] }, api));
    expect(patched.message).toBe('calendars.0: calendar "ghost" does not exist');
    const imported = await refusal(() =>
      schedules.importMany(
        [
          { name: "imp_ok", task: "log", cron: "0 9 * * *" },
          { name: "imp_ghost", task: "log", cron: "0 9 * * *", calendars: ["ghost"] },
        ],
        { actor: "ops", source: "import" },
      ),
    );
    expect(imported.message).toBe('schedules[1].calendars.0: calendar "ghost" does not exist');
    expect(await findSchedule(t.db, "imp_ok")).toBeUndefined();
  });

  it("reports a schedule whose calendar is missing as invalid and keeps it pausable and editable", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron, calendars) VALUES ('orphan', 'log', '0 9 * * *', '["vn-public-holidays", "gone"]')`;
    const stored = await findSchedule(t.db, "orphan");
    expect(stored!.missingCalendars).toEqual(["gone"]);
    const paused = await schedules.update("orphan", { enabled: false, description: "waiting" }, api);
    expect(paused.schedule).toMatchObject({
      enabled: false,
      description: "waiting",
      missingCalendars: ["gone"],
    });
    expect(paused.warnings).toEqual([
      'the schedule cannot fire until fixed: calendars.1: calendar "gone" does not exist',
    ]);
    const resumed = await refusal(() => schedules.update("orphan", { enabled: true }, api));
    expect(resumed.message).toBe('calendars.1: calendar "gone" does not exist');
    const fixed = await schedules.update("orphan", { enabled: true, calendars: ["vn-public-holidays"] }, api);
    expect(fixed.schedule).toMatchObject({ enabled: true, missingCalendars: [] });
    expect(fixed.warnings).toEqual([]);
  });

  it("imports only the entries whose labels match the selector, naming errors by their place in the file", async () => {
    const items = [
      { name: "fin_a", task: "log", cron: "0 9 * * *", labels: { team: "finance" } },
      { name: "ops_a", task: "log", cron: "bad cron", labels: { team: "ops" } },
      { name: "fin_b", task: "log", cron: "0 9 * * *", labels: { team: "finance", tier: "gold" } },
      { name: "unlabelled", task: "log", cron: "0 9 * * *" },
    ];
    const outcomes = await schedules.importMany(
      items,
      { actor: "ops", source: "import" },
      { labelSelector: ["team=finance"] },
    );
    expect(outcomes.map((o) => [o.name, o.action])).toEqual([
      ["fin_a", "create"],
      ["fin_b", "create"],
    ]);
    expect(await findSchedule(t.db, "unlabelled")).toBeUndefined();
    const error = await refusal(() =>
      schedules.importMany(items, { actor: "ops", source: "import" }, { labelSelector: ["team!=finance"] }),
    );
    expect(error.message).toMatch(/^schedules\[1\]\.cron: /);
  });
});

/** Resolves once some session of this database waits on a lock (the delete, blocked on ours). */
async function waitForLockWaiter(): Promise<void> {
  for (;;) {
    const [row] = await t.sql<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.waiting > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
