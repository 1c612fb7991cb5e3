import { sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import type { ChangeSource } from "./model.js";

/** Who makes a change and through what; recorded in history by the trigger. */
export interface ChangeContext {
  actor: string;
  source: ChangeSource;
  note?: string | undefined;
  /** When set, the write fails with {@link VersionConflict} unless the schedule is at this version. */
  expectedVersion?: number | undefined;
}

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Sets, for the rest of the transaction, what the history triggers record as actor, source and note. */
export async function setChangeContext(tx: Tx, ctx: Omit<ChangeContext, "expectedVersion">): Promise<void> {
  await tx.execute(sql`SELECT ${setsChangeContext(ctx)}`);
}

/**
 * A condition that is always true and, as it is evaluated, sets the change context for the
 * statement's own transaction, so a single-statement write carries it without a round trip of
 * its own. It refers to no column: PostgreSQL evaluates such a condition once, before reading any
 * row, hence before any trigger of the statement reads the settings.
 */
export function changeContextCondition(ctx: ChangeContextValues): SQL {
  return sql`(SELECT ${setsChangeContext(ctx)}) IS NOT NULL`;
}

/** Actor, source and note, or placeholders for them in a prepared statement. */
type ChangeContextValues = {
  [Key in "actor" | "source" | "note"]?: string | Placeholder | undefined;
} & { actor: string | Placeholder; source: string | Placeholder };

function setsChangeContext(ctx: ChangeContextValues): SQL {
  // set_config(…, true) is transaction-local: the next statement on this connection, a raw SQL
  // edit for instance, is recorded as itself again.
  return sql`set_config('hotbeat.actor', ${ctx.actor}, true) || set_config('hotbeat.source', ${ctx.source}, true) || set_config('hotbeat.note', ${ctx.note ?? ""}, true)`;
}
