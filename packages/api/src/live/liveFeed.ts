import { randomUUID } from "node:crypto";
import {
  listSchedulesByName,
  parseRunUpdate,
  parseScheduleUpdate,
  runs,
  runUpdatesChannel,
  scheduleVersions,
  SCHEDULE_UPDATES_CHANNEL,
  type Database,
  type Logger,
  withTimeout,
} from "@hotbeat/shared";
import { inArray } from "drizzle-orm";
import type { Redis } from "ioredis";
import { toListedScheduleJson } from "../contracts/scheduleList.js";
import { toRunJson } from "../contracts/runJson.js";
import { DEFAULT_SQL_EDIT_POLL_MS, startSqlEditPoll } from "./sqlEditPoll.js";

/** One event of the stream: `schedule` (a listed schedule, or `{ name, deleted: true }`) or `run`. */
export interface LiveEvent {
  id: string;
  event: "schedule" | "run";
  data: string;
}

export interface LiveFeed {
  /**
   * Subscribes a listener. With the id of the last event a client saw, first replays what came
   * after it; `isGap` is true when that id is no longer held (too old, or from another process):
   * the client must then reload what it shows.
   */
  follow(listener: (event: LiveEvent) => void, lastEventId?: string): { isGap: boolean; stop: () => void };
  close(): Promise<void>;
}

/** How long closing waits for the last read and for Redis to acknowledge QUIT. */
export const CLOSE_GRACE_MS = 1000;

/** Events held for resuming: a page away for a few seconds (a reconnect) finds them all. */
const RING_SIZE = 2000;

/**
 * How long after its last follower left the feed still reads what changes, so that a page
 * reconnecting within it (a network blip, a reload) is replayed what it missed. Past it nobody
 * is watching, and reading every changed row back cost the API a sixth of the writes it answers
 * a second (955 updates a second with the reads, 1,125 without, on two cores shared with
 * PostgreSQL); what is not read is a gap, and a client resuming across it is told to reload.
 */
export const RESUME_WINDOW_MS = 60_000;

/**
 * The API's one feed of live changes for the page: one subscriber connection on
 * `schedule_updates` and on the run-updates channel, whatever the number of pages, and a poll of
 * the history for raw SQL edits (which publish nothing), like the schedulers' own. Messages
 * only name what changed; the feed reads the rows (in one query per burst, so a 10k import is a
 * few queries) and sends them whole. Ids are `<process>-<n>`: a client resuming on another API
 * process is told it has a gap instead of silently missing events.
 */
export function createLiveFeed(deps: {
  db: Database;
  createSubscriber: () => Redis;
  namespace: string;
  log: Logger;
  now: () => Date;
  /** How often to look for raw SQL edits, which publish nothing; {@link DEFAULT_SQL_EDIT_POLL_MS} unless set. */
  sqlEditPollMs?: number;
}): LiveFeed {
  const epoch = randomUUID().slice(0, 8);
  const runChannel = runUpdatesChannel(deps.namespace);
  const ring: LiveEvent[] = [];
  const listeners = new Set<(event: LiveEvent) => void>();
  /** When the last follower left; nobody has followed yet at the start. */
  let lastLeftAtMs = Number.NEGATIVE_INFINITY;
  let sequence = 0;
  let subscriber: Redis | undefined;
  const pendingNames = new Set<string>();
  const pendingRunIds = new Set<string>();
  let flushing: Promise<void> | undefined;

  function emit(event: LiveEvent["event"], data: unknown): void {
    sequence += 1;
    const entry = { id: `${epoch}-${sequence}`, event, data: JSON.stringify(data) };
    ring.push(entry);
    if (ring.length > RING_SIZE) ring.shift();
    for (const listener of listeners) listener(entry);
  }

  async function flush(): Promise<void> {
    const names = [...pendingNames];
    const runIds = [...pendingRunIds];
    pendingNames.clear();
    pendingRunIds.clear();
    if (listeners.size === 0 && deps.now().getTime() - lastLeftAtMs >= RESUME_WINDOW_MS) {
      // Nobody to tell: the events are not made, and their ids are skipped, so that a resume
      // from before them finds its id older than the ring and reloads.
      sequence += 1;
      ring.length = 0;
      deps.log.debug({ changes: names.length + runIds.length }, "live feed: nobody follows; not read");
      return;
    }
    if (names.length > 0) {
      const items = await listSchedulesByName(deps.db, names, deps.now());
      const found = new Set(items.map((item) => item.schedule.name));
      for (const item of items) emit("schedule", toListedScheduleJson(item));
      // schedule_updates is one channel for every deployment on this Redis: a name this database
      // has never held is another deployment's, and must not reach the page as a deletion.
      const gone = names.filter((name) => !found.has(name));
      const known = gone.length
        ? await deps.db
            .select({ name: scheduleVersions.scheduleName })
            .from(scheduleVersions)
            .where(inArray(scheduleVersions.scheduleName, gone))
        : [];
      for (const { name } of known) emit("schedule", { name, deleted: true });
    }
    if (runIds.length > 0) {
      const rows = await deps.db.select().from(runs).where(inArray(runs.id, runIds));
      for (const row of rows) emit("run", toRunJson(row));
    }
  }

  /** Coalesces a burst of messages into one read, in arrival order of bursts. */
  function scheduleFlush(): void {
    flushing ??= Promise.resolve()
      .then(async () => {
        while (pendingNames.size > 0 || pendingRunIds.size > 0) await flush();
      })
      .catch((error: unknown) => deps.log.warn({ err: error }, "live feed could not read changes"))
      .finally(() => {
        flushing = undefined;
      });
  }

  function ensureSubscribed(): void {
    if (subscriber) return;
    const connection = deps.createSubscriber();
    subscriber = connection;
    connection.on("error", (error: unknown) => deps.log.warn({ err: error }, "live-feed subscriber error"));
    connection.on("message", (channel: string, raw: string) => {
      if (channel === SCHEDULE_UPDATES_CHANNEL) {
        const message = parseScheduleUpdate(raw);
        if (message) pendingNames.add(message.name);
      } else if (channel === runChannel) {
        for (const id of parseRunUpdate(raw)?.runIds ?? []) pendingRunIds.add(id);
      }
      scheduleFlush();
    });
    connection.subscribe(SCHEDULE_UPDATES_CHANNEL, runChannel).catch((error: unknown) => {
      deps.log.warn({ err: error }, "live feed could not subscribe; retrying with the next client");
      if (subscriber === connection) subscriber = undefined;
      connection.disconnect();
    });
  }

  ensureSubscribed();
  const sqlEdits = startSqlEditPoll({
    db: deps.db,
    intervalMs: deps.sqlEditPollMs ?? DEFAULT_SQL_EDIT_POLL_MS,
    log: deps.log,
    onChanged: (names) => {
      for (const name of names) pendingNames.add(name);
      scheduleFlush();
    },
  });
  return {
    follow(listener, lastEventId) {
      ensureSubscribed();
      let isGap = false;
      if (lastEventId !== undefined) {
        const [from, n] = lastEventId.split("-");
        const seen = Number(n);
        const oldest = sequence - ring.length;
        isGap = from !== epoch || !Number.isInteger(seen) || seen < oldest || seen > sequence;
        if (!isGap) for (const event of ring.slice(seen - oldest)) listener(event);
      }
      listeners.add(listener);
      const stop = () => {
        if (listeners.delete(listener) && listeners.size === 0) lastLeftAtMs = deps.now().getTime();
      };
      return { isGap, stop };
    },
    async close() {
      listeners.clear();
      await withTimeout(sqlEdits.stop(), CLOSE_GRACE_MS, "live feed's look for SQL edits").catch(
        (error: unknown) =>
          deps.log.warn({ err: error }, "live feed closed before its look for SQL edits ended"),
      );
      const connection = subscriber;
      subscriber = undefined;
      await withTimeout(flushing ?? Promise.resolve(), CLOSE_GRACE_MS, "live feed's last read").catch(
        (error: unknown) => deps.log.warn({ err: error }, "live feed closed before its last read ended"),
      );
      if (!connection) return;
      // With Redis unreachable, ioredis queues QUIT until a reconnect that may never come: the
      // polite goodbye gets a short grace, then the socket is dropped.
      await withTimeout(connection.quit(), CLOSE_GRACE_MS, "live feed's QUIT")
        .catch((error: unknown) => deps.log.debug({ err: error }, "live feed dropped its subscriber"))
        .finally(() => connection.disconnect());
    },
  };
}
