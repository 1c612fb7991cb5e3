import { withTimeout } from "../support/withTimeout.js";
import { eq, sql } from "drizzle-orm";
import type { Database, DbHandle } from "../db/client.js";
import { schedules } from "../db/schema.js";
import {
  InvalidSchedule,
  ScheduleExists,
  ScheduleNotFound,
  VersionConflict,
  type ErrorDetail,
} from "../errors.js";
import type { Logger } from "../logging/createLogger.js";
import { SCHEDULE_UPDATES_CHANNEL } from "../messages/names.js";
import type { ScheduleUpdateMessage } from "../messages/scheduleUpdate.js";
import type { ChangeSource, Schedule } from "./model.js";
import { READ_ONLY_FIELDS } from "./scheduleFields.js";
import {
  diffDrafts,
  isSameDraft,
  resolveCreate,
  resolvePatch,
  toDraft,
  toTiming,
  type ScheduleDraft,
} from "./validation.js";
import { selectImportItems } from "./importSelection.js";
import { lockNamedCalendars } from "./namedCalendars.js";
import { withMissingCalendars } from "./queries.js";
import { checkStoredSchedule, findStoredProblems, type StoredSchedule } from "./storedHealth.js";
import { computeScheduleWarnings } from "./warnings.js";

/** Who makes a change and through what; recorded in history by the trigger. */
export interface ChangeContext {
  actor: string;
  source: ChangeSource;
  note?: string | undefined;
  /** When set, the write fails with {@link VersionConflict} unless the schedule is at this version. */
  expectedVersion?: number | undefined;
}

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

export interface ImportOutcome {
  name: string;
  action: "create" | "update" | "unchanged";
  version: number;
  warnings: string[];
}

/** The minimum of a Redis client the write path needs; an ioredis instance fits. */
export interface Publisher {
  publish(channel: string, message: string): Promise<unknown>;
}

export interface ScheduleWriterDeps {
  db: DbHandle;
  publisher: Publisher;
  log: Logger;
  defaultTimezone: string;
  /** How long a publish may take before the write answers anyway (Redis down must not hang writes). */
  publishTimeoutMs?: number;
  now?: () => Date;
}

export type ScheduleWriter = ReturnType<typeof createScheduleWriter>;

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Thrown inside a dry run's transaction to roll it back once its outcome is known. */
class DryRunRollback extends Error {}

/**
 * The one write path for schedule changes. Every surface (API, CLI, UI, import) calls it. Each
 * call is one transaction: the row is locked, validated, compared with the expected version and
 * written; the triggers bump the version and record history. Only after COMMIT does it publish
 * `schedule_updates`, so a scheduler that reacts to the message reads the new row. A failed
 * publish is logged and never fails the write: the scheduler's poll recovers it.
 */
export function createScheduleWriter(deps: ScheduleWriterDeps) {
  const { db } = deps.db;
  const now = deps.now ?? (() => new Date());
  const publishTimeoutMs = deps.publishTimeoutMs ?? 1000;

  async function publish(message: ScheduleUpdateMessage): Promise<void> {
    try {
      await withTimeout(
        deps.publisher.publish(SCHEDULE_UPDATES_CHANNEL, JSON.stringify(message)),
        publishTimeoutMs,
        "publishing the change",
      );
    } catch (error) {
      deps.log.warn(
        { err: error, schedule: message.name, version: message.version },
        "publish failed; the poll will apply it",
      );
    }
  }

  async function setChangeContext(tx: Tx, ctx: ChangeContext): Promise<void> {
    await tx.execute(
      sql`SELECT set_config('hotbeat.actor', ${ctx.actor}, true), set_config('hotbeat.source', ${ctx.source}, true), set_config('hotbeat.note', ${ctx.note ?? ""}, true)`,
    );
  }

  async function lockSchedule(tx: Tx, name: string): Promise<Schedule | undefined> {
    const [row] = await tx.select().from(schedules).where(eq(schedules.name, name)).for("update");
    return row;
  }

  function checkVersion(row: Schedule, ctx: ChangeContext): void {
    if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== row.version) {
      throw new VersionConflict(row.name, ctx.expectedVersion, row.version);
    }
  }

  function warningsOf(row: StoredSchedule): string[] {
    // A row left broken by raw SQL (kept so it can be paused or fixed) has no timing to warn about.
    const health = checkStoredSchedule(row);
    if (health.status === "invalid") return [`the schedule cannot fire until fixed: ${health.reason}`];
    return computeScheduleWarnings(toTiming(row), now());
  }

  async function assertCalendarsExist(tx: Tx, draft: ScheduleDraft): Promise<void> {
    const errors = (await lockNamedCalendars(tx, [draft])).errorsOf(draft);
    if (errors.length > 0) throw new InvalidSchedule(errors);
  }

  async function insertDraft(tx: Tx, draft: ScheduleDraft): Promise<Schedule | undefined> {
    const [row] = await tx.insert(schedules).values(draft).onConflictDoNothing().returning();
    return row;
  }

  async function updateDraft(tx: Tx, draft: ScheduleDraft, current: Schedule): Promise<Schedule> {
    const changes = diffDrafts(draft, toDraft(current));
    const [row] = await tx.update(schedules).set(changes).where(eq(schedules.name, draft.name)).returning();
    return row!;
  }

  async function create(input: unknown, ctx: ChangeContext): Promise<WriteResult> {
    const draft = resolveCreate(input, { timezone: deps.defaultTimezone });
    const row = await db.transaction(async (tx) => {
      await assertCalendarsExist(tx, draft);
      await setChangeContext(tx, ctx);
      const inserted = await insertDraft(tx, draft);
      if (!inserted) throw new ScheduleExists(draft.name);
      return { ...inserted, missingCalendars: [] };
    });
    await publish({ name: row.name, version: row.version, op: "upsert" });
    return { schedule: row, warnings: warningsOf(row), changed: true };
  }

  async function update(name: string, patch: unknown, ctx: ChangeContext): Promise<WriteResult> {
    const result = await db.transaction(async (tx) => {
      const current = await lockSchedule(tx, name);
      if (!current) throw new ScheduleNotFound(name);
      checkVersion(current, ctx);
      const storedProblemFields = new Set(findStoredProblems(current).map((p) => p.field));
      const draft = resolvePatch(current, patch, { storedProblemFields });
      // As for the row's other stored problems: a calendar deleted under it is refused only when
      // the patch names calendars or turns the schedule back on, so it stays pausable and editable.
      const isResuming = draft.enabled && !current.enabled;
      const isNamingCalendars =
        patch !== null && typeof patch === "object" && Object.hasOwn(patch, "calendars");
      if (isNamingCalendars || isResuming) await assertCalendarsExist(tx, draft);
      if (isSameDraft(draft, toDraft(current)))
        return { row: (await withMissingCalendars(tx, [current]))[0]!, changed: false };
      await setChangeContext(tx, ctx);
      const row = await updateDraft(tx, draft, current);
      return { row: (await withMissingCalendars(tx, [row]))[0]!, changed: true };
    });
    if (result.changed) await publish({ name, version: result.row.version, op: "upsert" });
    return { schedule: result.row, warnings: warningsOf(result.row), changed: result.changed };
  }

  async function remove(name: string, ctx: ChangeContext): Promise<DeleteResult> {
    const version = await db.transaction(async (tx) => {
      const current = await lockSchedule(tx, name);
      if (!current) throw new ScheduleNotFound(name);
      checkVersion(current, ctx);
      await setChangeContext(tx, ctx);
      await tx.delete(schedules).where(eq(schedules.name, name));
      return current.version + 1;
    });
    await publish({ name, version, op: "delete" });
    return { name, version };
  }

  /**
   * Creates or updates many schedules atomically: all are validated first (every error names
   * `schedules[i].field`), then written in one transaction, or, with `dryRun`, written and rolled
   * back so the answer shows exactly what would happen, versions included. With `labelSelector`,
   * only the items whose labels match are imported (errors keep naming each item's place in the
   * document); the others are left out, without being validated.
   */
  async function importMany(
    items: unknown,
    ctx: Omit<ChangeContext, "expectedVersion">,
    options: { dryRun?: boolean; labelSelector?: readonly string[] } = {},
  ): Promise<ImportOutcome[]> {
    if (!Array.isArray(items))
      throw new InvalidSchedule([{ field: "schedules", message: "must be an array" }]);
    const details: ErrorDetail[] = [];
    const drafts: { draft: ScheduleDraft; prefix: string }[] = [];
    const seen = new Set<string>();
    for (const { item, index } of selectImportItems(items, options.labelSelector)) {
      const prefix = `schedules[${index}]`;
      try {
        const draft = resolveCreate(stripReadOnly(item), { timezone: deps.defaultTimezone }, prefix);
        if (seen.has(draft.name))
          details.push({ field: `${prefix}.name`, message: `"${draft.name}" appears twice` });
        seen.add(draft.name);
        drafts.push({ draft, prefix });
      } catch (error) {
        if (!(error instanceof InvalidSchedule)) throw error;
        details.push(...error.details);
      }
    }
    if (details.length > 0) throw new InvalidSchedule(details);

    let outcomes: ImportOutcome[] = [];
    try {
      await db.transaction(async (tx) => {
        await setChangeContext(tx, ctx);
        outcomes = [];
        const named = await lockNamedCalendars(
          tx,
          drafts.map(({ draft }) => draft),
        );
        const calendarErrors: ErrorDetail[] = [];
        for (const { draft, prefix } of drafts) {
          const current = await lockSchedule(tx, draft.name);
          let row: Schedule;
          let action: ImportOutcome["action"];
          if (!current) {
            row = (await insertDraft(tx, draft))!;
            action = "create";
          } else if (isSameDraft(draft, toDraft(current))) {
            row = current;
            action = "unchanged";
          } else {
            row = await updateDraft(tx, draft, current);
            action = "update";
          }
          // An entry that changes nothing keeps what it had, as an unchanged PATCH would.
          if (action !== "unchanged") calendarErrors.push(...named.errorsOf(draft, prefix));
          const stored = { ...row, missingCalendars: named.missingOf(draft) };
          outcomes.push({ name: row.name, action, version: row.version, warnings: warningsOf(stored) });
        }
        if (calendarErrors.length > 0) throw new InvalidSchedule(calendarErrors);
        if (options.dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    if (!options.dryRun) {
      for (const o of outcomes)
        if (o.action !== "unchanged") await publish({ name: o.name, version: o.version, op: "upsert" });
    }
    return outcomes;
  }

  return { create, update, remove, importMany };
}

function stripReadOnly(item: unknown): unknown {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
  const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const key of READ_ONLY_FIELDS) delete copy[key];
  return copy;
}
