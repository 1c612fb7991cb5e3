import { and, eq, sql } from "drizzle-orm";
import { findMissingCalendars } from "../calendars/calendarQueries.js";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { InvalidSchedule, ScheduleNotFound, VersionConflict, type ErrorDetail } from "../errors.js";
import { changeContextCondition, type ChangeContext } from "./changeContext.js";
import type { Schedule } from "./model.js";
import { lockNamedCalendars } from "./namedCalendars.js";
import { readSchedule, writeChanges } from "./preparedUpdates.js";
import { findStoredProblems, type StoredSchedule } from "./storedHealth.js";
import { diffDrafts, isSameDraft, resolvePatch, toDraft, type ScheduleDraft } from "./validation.js";

/** What the database or a transaction offers that an update needs. */
type Executor = Pick<Database, "select" | "update">;

export interface UpdateOutcome {
  row: StoredSchedule;
  changed: boolean;
}

/** How an attempt reads the row and writes the draft: optimistic, or under the row lock. */
interface Statements {
  read(): Promise<Schedule | undefined>;
  write(draft: ScheduleDraft, current: Schedule, lockCalendars: boolean): Promise<Schedule | undefined>;
}

/** Optimistic attempts before an update locks the row and waits its turn instead. */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Updates one schedule in two statements and no transaction: the row is read, the patch resolved
 * against it, and one `UPDATE … WHERE version = <the version read>` writes it, carrying the
 * change context in that same statement for the history trigger. An update that finds the row
 * changed under it (a concurrent write, a delete, a calendar gone) has written nothing and starts
 * again from the read; after a few such races it takes the row lock, so a hot row cannot starve it.
 */
export async function updateSchedule(
  db: Database,
  name: string,
  patch: unknown,
  ctx: ChangeContext,
): Promise<UpdateOutcome> {
  const optimistic: Statements = {
    read: () => readSchedule(db, name),
    write: (draft, current, lockCalendars) =>
      lockCalendars
        ? writeDraft(db, draft, current, ctx, true)
        : writeChanges(db, name, current.version, diffDrafts(draft, toDraft(current)), ctx),
  };
  for (let attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt += 1) {
    const outcome = await attemptUpdate(db, optimistic, name, patch, ctx, { lock: false });
    if (outcome) return outcome;
  }
  return db.transaction(async (tx) => {
    const locked: Statements = {
      read: async () => (await tx.select().from(schedules).where(eq(schedules.name, name)).for("update"))[0],
      write: (draft, current) => writeDraft(tx, draft, current, ctx, false),
    };
    return (await attemptUpdate(tx, locked, name, patch, ctx, { lock: true }))!;
  });
}

/**
 * One read and one conditional write; undefined when the row moved between them. With `lock`,
 * inside a transaction whose `read` locked the row, the calendars it must name are locked too.
 */
async function attemptUpdate(
  db: Executor,
  statements: Statements,
  name: string,
  patch: unknown,
  ctx: ChangeContext,
  options: { lock: boolean },
): Promise<UpdateOutcome | undefined> {
  const current = await statements.read();
  if (!current) throw new ScheduleNotFound(name);
  if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== current.version)
    throw new VersionConflict(name, ctx.expectedVersion, current.version);
  const storedProblemFields = new Set(findStoredProblems(current).map((p) => p.field));
  const draft = resolvePatch(current, patch, { storedProblemFields });
  // As for the row's other stored problems: a calendar deleted under it is refused only when
  // the patch names calendars or turns the schedule back on, so it stays pausable and editable.
  const isResuming = draft.enabled && !current.enabled;
  const isNamingCalendars = patch !== null && typeof patch === "object" && Object.hasOwn(patch, "calendars");
  const mustExist = isNamingCalendars || isResuming;
  const missingCalendars = await findDraftMissingCalendars(db, draft, { lock: options.lock && mustExist });
  if (mustExist && missingCalendars.length > 0)
    throw new InvalidSchedule(missingCalendarErrors(draft, missingCalendars));
  if (isSameDraft(draft, toDraft(current))) return { row: { ...current, missingCalendars }, changed: false };
  const row = await statements.write(draft, current, mustExist && !options.lock);
  return row && { row: { ...row, missingCalendars }, changed: true };
}

/** The calendars a draft names that do not exist; none asked for when it names none. */
async function findDraftMissingCalendars(
  db: Executor,
  draft: ScheduleDraft,
  options: { lock: boolean },
): Promise<string[]> {
  const names = namedCalendarsOf(draft);
  if (names.length === 0) return [];
  if (options.lock) return (await lockNamedCalendars(db, [draft])).missingOf(draft);
  const missing = new Set(await findMissingCalendars(db, names));
  return names.filter((calendar) => missing.has(calendar));
}

/** A row a raw SQL edit left with calendars that are not a list of names still has a draft. */
function namedCalendarsOf(draft: ScheduleDraft): string[] {
  return Array.isArray(draft.calendars) ? draft.calendars.filter((name) => typeof name === "string") : [];
}

function missingCalendarErrors(draft: ScheduleDraft, missing: readonly string[]): ErrorDetail[] {
  return draft.calendars.flatMap((calendar, index) =>
    missing.includes(calendar)
      ? [{ field: `calendars.${index}`, message: `calendar "${calendar}" does not exist` }]
      : [],
  );
}

/**
 * The one statement of an update. With `lockCalendars`, the calendars the draft names are
 * key-share locked by the statement, so that a calendar delete waits for the write and then sees
 * the schedule among its users; the row is written only if all of them are still there.
 */
async function writeDraft(
  db: Executor,
  draft: ScheduleDraft,
  current: Schedule,
  ctx: ChangeContext,
  lockCalendars: boolean,
): Promise<Schedule | undefined> {
  const names = [...new Set(namedCalendarsOf(draft))];
  const calendarsStillThere =
    lockCalendars && names.length > 0
      ? sql`(SELECT count(*) FROM (SELECT 1 FROM calendars WHERE calendars.name IN ${names} FOR KEY SHARE) AS named) = ${names.length}`
      : undefined;
  const [row] = await db
    .update(schedules)
    .set(diffDrafts(draft, toDraft(current)))
    .where(
      and(
        eq(schedules.name, draft.name),
        eq(schedules.version, current.version),
        changeContextCondition(ctx),
        calendarsStillThere,
      ),
    )
    .returning();
  return row;
}
