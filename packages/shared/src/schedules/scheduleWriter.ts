import { and, eq } from "drizzle-orm";
import type { DbHandle } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { InvalidSchedule, ScheduleExists, ScheduleNotFound, VersionConflict } from "../errors.js";
import type { Logger } from "../logging/createLogger.js";
import { changeContextCondition, setChangeContext, type ChangeContext } from "./changeContext.js";
import { createChangePublisher, type Publisher } from "./changePublisher.js";
import { importSchedules, type ImportOptions, type ImportOutcome } from "./importSchedules.js";
import { lockNamedCalendars } from "./namedCalendars.js";
import type { StoredSchedule } from "./storedHealth.js";
import { updateSchedule } from "./updateSchedule.js";
import { resolveCreate } from "./validation.js";
import { computeWriteWarnings } from "./writeWarnings.js";
import { toCarriedRow } from "../messages/carriedRow.js";
import type { ScheduleUpdateMessage } from "../messages/scheduleUpdate.js";

export interface WriteResult {
  /** As saved, with any calendar it names that does not exist (which its health reports). */
  schedule: StoredSchedule;
  warnings: string[];
  /** False when the request matched what was stored: nothing written, nothing published. */
  changed: boolean;
}

export interface DeleteResult {
  name: string;
  /** The version the delete was recorded at (one past the last stored version). */
  version: number;
}

export interface ScheduleWriterDeps {
  db: DbHandle;
  publisher: Publisher;
  log: Logger;
  defaultTimezone: string;
  /** How long a publish may take before the write answers anyway (Redis down must not hang writes). */
  publishTimeoutMs?: number;
  now?: () => Date;
  /**
   * The deployment's Redis namespace. When set, an upsert's message carries it and the row as
   * committed, so the schedulers of that namespace apply the change without reading it back.
   */
  namespace?: string;
}

export type ScheduleWriter = ReturnType<typeof createScheduleWriter>;

/**
 * The one write path for schedule changes. Every surface (API, CLI, UI, import) calls it. Each
 * write is atomic (one statement, or one transaction) and compared with the expected version;
 * the triggers bump the version and record history. Only after COMMIT does it publish
 * `schedule_updates`, so a scheduler that reacts to the message reads the new row. A failed
 * publish is logged and never fails the write: the scheduler's poll recovers it.
 */
export function createScheduleWriter(deps: ScheduleWriterDeps) {
  const { db } = deps.db;
  const now = deps.now ?? (() => new Date());
  const publish = createChangePublisher({
    publisher: deps.publisher,
    log: deps.log,
    publishTimeoutMs: deps.publishTimeoutMs ?? 1000,
  });

  function upsertMessage(row: StoredSchedule): ScheduleUpdateMessage {
    const message: ScheduleUpdateMessage = { name: row.name, version: row.version, op: "upsert" };
    if (deps.namespace === undefined) return message;
    // A row naming calendars needs their dates, which the scheduler reads with it.
    const carried = namedCalendarCount(row) === 0 ? toCarriedRow(row) : undefined;
    return { ...message, namespace: deps.namespace, ...(carried && { row: carried }) };
  }

  async function create(input: unknown, ctx: ChangeContext): Promise<WriteResult> {
    const draft = resolveCreate(input, { timezone: deps.defaultTimezone });
    const row = await db.transaction(async (tx) => {
      const errors = (await lockNamedCalendars(tx, [draft])).errorsOf(draft);
      if (errors.length > 0) throw new InvalidSchedule(errors);
      await setChangeContext(tx, ctx);
      const [inserted] = await tx.insert(schedules).values(draft).onConflictDoNothing().returning();
      if (!inserted) throw new ScheduleExists(draft.name);
      return { ...inserted, missingCalendars: [] };
    });
    await publish(upsertMessage(row));
    return { schedule: row, warnings: computeWriteWarnings(row, now()), changed: true };
  }

  async function update(name: string, patch: unknown, ctx: ChangeContext): Promise<WriteResult> {
    const { row, changed } = await updateSchedule(db, name, patch, ctx);
    if (changed) await publish(upsertMessage(row));
    return { schedule: row, warnings: computeWriteWarnings(row, now()), changed };
  }

  /**
   * One statement, carrying the change context; when it deletes nothing, a read says why (gone,
   * or not at the expected version). A row re-created in between is deleted by the next attempt.
   */
  async function remove(name: string, ctx: ChangeContext): Promise<DeleteResult> {
    for (;;) {
      const [deleted] = await db
        .delete(schedules)
        .where(
          and(
            eq(schedules.name, name),
            ctx.expectedVersion === undefined ? undefined : eq(schedules.version, ctx.expectedVersion),
            changeContextCondition(ctx),
          ),
        )
        .returning({ version: schedules.version });
      if (deleted) {
        const version = deleted.version + 1;
        await publish({ name, version, op: "delete" });
        return { name, version };
      }
      const [current] = await db
        .select({ version: schedules.version })
        .from(schedules)
        .where(eq(schedules.name, name));
      if (!current) throw new ScheduleNotFound(name);
      if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== current.version)
        throw new VersionConflict(name, ctx.expectedVersion, current.version);
    }
  }

  /** {@link importSchedules}, then one message per schedule it created or changed. */
  async function importMany(
    items: unknown,
    ctx: Omit<ChangeContext, "expectedVersion">,
    options: ImportOptions = {},
  ): Promise<ImportOutcome[]> {
    const outcomes = await importSchedules(db, items, ctx, {
      ...options,
      defaultTimezone: deps.defaultTimezone,
      now: now(),
    });
    if (!options.dryRun) {
      for (const o of outcomes)
        if (o.action !== "unchanged") await publish({ name: o.name, version: o.version, op: "upsert" });
    }
    return outcomes;
  }

  return { create, update, remove, importMany };
}

function namedCalendarCount(row: StoredSchedule): number {
  return Array.isArray(row.calendars) ? row.calendars.length : 1;
}
