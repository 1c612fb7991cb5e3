import { and, eq, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { changeContextCondition, type ChangeContext } from "./changeContext.js";
import type { Schedule } from "./model.js";
import type { ScheduleDraft } from "./validation.js";

type UpdateSet = Parameters<ReturnType<Database["update"]>["set"]>[0];

// Drizzle builds a statement's text anew on every call (about a tenth of the API's time per PATCH
// under load), and PostgreSQL parses and plans an unnamed statement anew. The statements of an
// update are few in shape (the read, and one update per set of changed columns), so each is built
// once per database and prepared by postgres.js on each connection that runs it.

/** Shapes of update kept prepared; a patch of a shape beyond them is built the ordinary way. */
const MAX_UPDATE_SHAPES = 64;

interface Prepared {
  read: ReturnType<typeof prepareRead>;
  updates: Map<string, ReturnType<typeof prepareUpdate>>;
}

const preparedByDatabase = new WeakMap<Database, Prepared>();

function preparedOf(db: Database): Prepared {
  let prepared = preparedByDatabase.get(db);
  if (!prepared) preparedByDatabase.set(db, (prepared = { read: prepareRead(db), updates: new Map() }));
  return prepared;
}

function prepareRead(db: Database) {
  return db
    .select()
    .from(schedules)
    .where(eq(schedules.name, sql.placeholder("name")))
    .prepare("hotbeat_read_schedule");
}

/** The schedule by name, as an update's optimistic read sees it. */
export async function readSchedule(db: Database, name: string): Promise<Schedule | undefined> {
  return (await preparedOf(db).read.execute({ name }))[0];
}

/**
 * `changes` written to the row of `name` if it is still at `version`, carrying the change context;
 * the row as written, or undefined when it moved. A column set to null is part of the shape: a
 * placeholder would send it through the column's encoder, and a JSON column would store `null`.
 */
export async function writeChanges(
  db: Database,
  name: string,
  version: number,
  changes: Partial<ScheduleDraft>,
  ctx: ChangeContext,
): Promise<Schedule | undefined> {
  const entries = Object.entries(changes).sort(([a], [b]) => (a < b ? -1 : 1));
  const shape = entries.map(([key, value]) => (value === null ? `${key}=null` : key)).join(",");
  const { updates } = preparedOf(db);
  let update = updates.get(shape);
  if (!update && updates.size < MAX_UPDATE_SHAPES)
    updates.set(shape, (update = prepareUpdate(db, entries, shape)));
  if (!update) {
    const where = and(eq(schedules.name, name), eq(schedules.version, version), changeContextCondition(ctx));
    return (await db.update(schedules).set(changes).where(where).returning())[0];
  }
  const values: Record<string, unknown> = {
    ...changes,
    whereName: name,
    whereVersion: version,
    contextActor: ctx.actor,
    contextSource: ctx.source,
    contextNote: ctx.note ?? "",
  };
  return (await update.execute(values))[0];
}

function prepareUpdate(db: Database, entries: [string, unknown][], shape: string) {
  // Drizzle encodes a placeholder's value with its column's encoder, as it does a plain value.
  const set: Record<string, SQL | Placeholder> = {};
  for (const [key, value] of entries) set[key] = value === null ? sql`NULL` : sql.placeholder(key);
  return db
    .update(schedules)
    .set(set as UpdateSet)
    .where(
      and(
        eq(schedules.name, sql.placeholder("whereName")),
        eq(schedules.version, sql.placeholder("whereVersion")),
        changeContextCondition({
          actor: sql.placeholder("contextActor"),
          source: sql.placeholder("contextSource"),
          note: sql.placeholder("contextNote"),
        }),
      ),
    )
    .returning()
    .prepare(`hotbeat_update_${shape}`);
}
