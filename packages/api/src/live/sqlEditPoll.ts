import { scheduleHistory, type Database, type Logger } from "@hotbeat/shared";
import { and, eq, gte, sql } from "drizzle-orm";

/** How often the page's feed looks for raw SQL edits unless told: the schedulers' own default. */
export const DEFAULT_SQL_EDIT_POLL_MS = 60_000;

export interface SqlEditPoll {
  stop(): Promise<void>;
}

const SNAPSHOT = { isolationLevel: "repeatable read", accessMode: "read only" } as const;

/**
 * Watches `schedule_history` for changes made by raw SQL, which publish nothing on Redis: every
 * `intervalMs`, the names of schedules changed with source `sql` since the last look are given
 * to `onChanged`. Writes through hotbeat publish their own message and are left out, so the feed
 * does not send them twice. As the schedulers' poll does, it reads by transaction id from the
 * oldest transaction still running at the last look, so a transaction that commits out of order
 * is not missed; a change may be seen twice, which the page ignores by version.
 */
export function startSqlEditPoll(deps: {
  db: Database;
  intervalMs: number;
  onChanged: (names: string[]) => void;
  log: Logger;
}): SqlEditPoll {
  let since: string | undefined;
  let polling: Promise<void> | undefined;
  let stopped = false;

  async function poll(): Promise<void> {
    const found = await deps.db.transaction(async (tx) => {
      const [row] = await tx.execute<{ xmin: string }>(
        sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
      );
      const names =
        since === undefined
          ? []
          : await tx
              .selectDistinct({ name: scheduleHistory.scheduleName })
              .from(scheduleHistory)
              .where(and(gte(scheduleHistory.txid, sql`${since}::xid8`), eq(scheduleHistory.source, "sql")));
      return { watermark: row!.xmin, names: names.map((entry) => entry.name) };
    }, SNAPSHOT);
    since = found.watermark;
    if (found.names.length > 0 && !stopped) deps.onChanged(found.names);
  }

  const tick = () => {
    polling ??= poll()
      .catch((error: unknown) => deps.log.warn({ err: error }, "live feed could not look for SQL edits"))
      .finally(() => {
        polling = undefined;
      });
  };
  // The first look only takes the watermark: what was edited before the feed started is what
  // every page loads anyway.
  tick();
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await polling;
    },
  };
}
