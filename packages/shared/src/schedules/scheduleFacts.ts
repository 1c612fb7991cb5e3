import type { Database } from "../db/client.js";
import { describeSchedule } from "./describeSchedule.js";
import { checkStoredSchedule, type ScheduleHealth, type StoredSchedule } from "./storedHealth.js";

/** What the list says of a stored row besides its fields: its health and its summary. */
export interface ScheduleFacts {
  health: ScheduleHealth;
  summary: string;
}

/** Which stored row facts were computed for: the version names its content, see below. */
export interface FactsKey {
  name: string;
  version: number;
  /** The calendars it names that do not exist: the one input of health outside the row. */
  missingCalendars?: readonly string[];
}

interface Entry {
  version: number;
  missing: string;
  facts: ScheduleFacts;
}

/**
 * Entries held per database, the oldest dropped past it: above the 100k schedules hotbeat is sized
 * for, so a listed schedule is computed once per version, while names that are gone cannot grow
 * the cache without end.
 */
export const MAX_CACHED_FACTS = 200_000;

// Health and summary are pure functions of the row (and of which named calendars exist), and
// cost about a tenth of a millisecond a row (the write path's validation): a list filtered by
// health over 10k rows spent seconds on them per request. They are cached by (name, version):
// the database's triggers bump the version on every change of the definition by any path, raw
// SQL included, and never reuse one, even across a delete and re-create; a reader only ever sees
// committed versions. The cache is per database handle, so two databases in one process (tests)
// never share an entry.
const caches = new WeakMap<Database, Map<string, Entry>>();

const toMissingKey = (key: FactsKey) => (key.missingCalendars ?? []).join("\u0000");

function cacheOf(db: Database): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

/** The facts cached for `key`, if computed for this very version; undefined otherwise. */
export function peekScheduleFacts(db: Database, key: FactsKey): ScheduleFacts | undefined {
  const entry = caches.get(db)?.get(key.name);
  return entry && entry.version === key.version && entry.missing === toMissingKey(key)
    ? entry.facts
    : undefined;
}

/** The health and summary of `row`, computed once per (name, version, missing calendars). */
export function readScheduleFacts(db: Database, row: StoredSchedule): ScheduleFacts {
  const cached = peekScheduleFacts(db, row);
  if (cached) return cached;
  const facts = { health: checkStoredSchedule(row), summary: describeSchedule(row) };
  const cache = cacheOf(db);
  // Delete first, so a name seen again moves to the young end of the Map's order.
  cache.delete(row.name);
  cache.set(row.name, { version: row.version, missing: toMissingKey(row), facts });
  if (cache.size > MAX_CACHED_FACTS) cache.delete(cache.keys().next().value!);
  return facts;
}
