import { and, eq, sql } from "drizzle-orm";
import { findMissingCalendars } from "../calendars/calendarQueries.js";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { InvalidSchedule, ScheduleNotFound, VersionConflict, type ErrorDetail } from "../errors.js";
import { changeContextCondition, type ChangeContext } from "./changeContext.js";
import type { Schedule } from "./model.js";
import { lockNamedCalendars } from "./namedCalendars.js";
import { findStoredProblems, type StoredSchedule } from "./storedHealth.js";
import { diffDrafts, isSameDraft, resolvePatch, toDraft, type ScheduleDraft } from "./validation.js";

/** What the database or a transaction offers that an update needs. */
type Executor = Pick<Database, "select" | "update">;

export interface UpdateOutcome {
  row: StoredSchedule;
  changed: boolean;
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
  const read = async () => (await readPrepared(db).execute({ name }))[0];
  for (let attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt += 1) {
    const outcome = await attemptUpdate(db, read, name, patch, ctx, { lock: false });
    if (outcome) return outcome;
  }
  return db.transaction(async (tx) => {
    const lockRow = async () =>
      (await tx.select().from(schedules).where(eq(schedules.name, name)).for("update"))[0];
    return (await attemptUpdate(tx, lockRow, name, patch, ctx, { lock: true }))!;
  });
}

const preparedReads = new WeakMap<Database, ReturnType<typeof prepareRead>>();

function prepareRead(db: Database) {
  return db
    .select()
    .from(schedules)
    .where(eq(schedules.name, sql.placeholder("name")))
    .prepare("hotbeat_read_schedule");
}

/**
 * The optimistic read, built once per database and prepared on each connection: it is the one
 * statement of every update that never changes shape, so neither Drizzle nor PostgreSQL plan it
 * again.
 */
function readPrepared(db: Database) {
  let prepared = preparedReads.get(db);
  if (!prepared) preparedReads.set(db, (prepared = prepareRead(db)));
  return prepared;
}

/**
 * One read and one conditional write; undefined when the row moved between them. With `lock`,
 * inside a transaction whose `read` locked the row, the calendars it must name are locked too.
 */
async function attemptUpdate(
  db: Executor,
  read: () => Promise<Schedule | undefined>,
  name: string,
  patch: unknown,
  ctx: ChangeContext,
  options: { lock: boolean },
): Promise<UpdateOutcome | undefined> {
  const current = await read();
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
  const row = await writeDraft(db, draft, current, ctx, mustExist && !options.lock);
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
