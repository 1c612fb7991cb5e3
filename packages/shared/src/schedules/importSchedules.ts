import { eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { InvalidSchedule, type ErrorDetail } from "../errors.js";
import { setChangeContext, type ChangeContext } from "./changeContext.js";
import { selectImportItems } from "./importSelection.js";
import type { Schedule } from "./model.js";
import { lockNamedCalendars } from "./namedCalendars.js";
import { READ_ONLY_FIELDS } from "./scheduleFields.js";
import { diffDrafts, isSameDraft, resolveCreate, toDraft, type ScheduleDraft } from "./validation.js";
import { computeWriteWarnings } from "./writeWarnings.js";

export interface ImportOutcome {
  name: string;
  action: "create" | "update" | "unchanged";
  version: number;
  warnings: string[];
}

export interface ImportOptions {
  dryRun?: boolean;
  labelSelector?: readonly string[];
}

/** Thrown inside a dry run's transaction to roll it back once its outcome is known. */
class DryRunRollback extends Error {}

/**
 * Creates or updates many schedules atomically: all are validated first (every error names
 * `schedules[i].field`), then written in one transaction, or, with `dryRun`, written and rolled
 * back so the answer shows exactly what would happen, versions included. With `labelSelector`,
 * only the items whose labels match are imported (errors keep naming each item's place in the
 * document); the others are left out, without being validated. Publishes nothing: the caller
 * publishes what changed once this has committed.
 */
export async function importSchedules(
  db: Database,
  items: unknown,
  ctx: Omit<ChangeContext, "expectedVersion">,
  options: ImportOptions & { defaultTimezone: string; now: Date },
): Promise<ImportOutcome[]> {
  const drafts = resolveImportDrafts(items, options);
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
        const [current] = await tx
          .select()
          .from(schedules)
          .where(eq(schedules.name, draft.name))
          .for("update");
        let row: Schedule;
        let action: ImportOutcome["action"];
        if (!current) {
          [row] = (await tx.insert(schedules).values(draft).returning()) as [Schedule];
          action = "create";
        } else if (isSameDraft(draft, toDraft(current))) {
          row = current;
          action = "unchanged";
        } else {
          const changes = diffDrafts(draft, toDraft(current));
          [row] = (await tx
            .update(schedules)
            .set(changes)
            .where(eq(schedules.name, draft.name))
            .returning()) as [Schedule];
          action = "update";
        }
        // An entry that changes nothing keeps what it had, as an unchanged PATCH would.
        if (action !== "unchanged") calendarErrors.push(...named.errorsOf(draft, prefix));
        const stored = { ...row, missingCalendars: named.missingOf(draft) };
        outcomes.push({
          name: row.name,
          action,
          version: row.version,
          warnings: computeWriteWarnings(stored, options.now),
        });
      }
      if (calendarErrors.length > 0) throw new InvalidSchedule(calendarErrors);
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return outcomes;
}

/** Every selected item validated before anything is written; all the errors at once. */
function resolveImportDrafts(
  items: unknown,
  options: ImportOptions & { defaultTimezone: string },
): { draft: ScheduleDraft; prefix: string }[] {
  if (!Array.isArray(items)) throw new InvalidSchedule([{ field: "schedules", message: "must be an array" }]);
  const details: ErrorDetail[] = [];
  const drafts: { draft: ScheduleDraft; prefix: string }[] = [];
  const seen = new Set<string>();
  for (const { item, index } of selectImportItems(items, options.labelSelector)) {
    const prefix = `schedules[${index}]`;
    try {
      const draft = resolveCreate(stripReadOnly(item), { timezone: options.defaultTimezone }, prefix);
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
  return drafts;
}

function stripReadOnly(item: unknown): unknown {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
  const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const key of READ_ONLY_FIELDS) delete copy[key];
  return copy;
}
