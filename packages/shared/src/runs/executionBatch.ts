import { and, notInArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow } from "../db/schema.js";
import {
  commitWithoutFlush,
  FINISHED_RUN_STATUSES,
  MAX_RUN_ERROR_LENGTH,
  type RunOutcome,
} from "./execution.js";
import { toStorableJson, toStorableText } from "./storable.js";

/** One claim of {@link claimRuns}: the run and the caller's idea of its attempt number. */
export interface RunClaim {
  runId: string;
  attempt: number;
}

/** One outcome of {@link finishRuns}. */
export interface RunFinish {
  runId: string;
  outcome: RunOutcome;
}

/**
 * The unfinished runs among the keys of the JSON object `byRunId` (keyed by run id). Taking the
 * ids from the object each statement carries anyway keeps its text the same whatever the batch's
 * size, so it is prepared once per connection, where an `IN` list of one parameter per run made a
 * new statement of every size.
 */
const unfinishedAmongKeysOf = (byRunId: SQL) =>
  and(
    sql`${runs.id} IN (SELECT jsonb_object_keys(${byRunId}::jsonb)::uuid)`,
    notInArray(runs.status, [...FINISHED_RUN_STATUSES]),
  );

/**
 * The two statements of a burst of starts and ends, built once per database handle. Drizzle builds
 * a query's text anew on every call (a millisecond of CPU for these two at a burst of claims), and
 * sends a query it did not prepare with `prepare: false`, which postgres.js pays for with two round
 * trips (Parse/Describe to learn the parameter types, then Bind/Execute); a prepared one is one
 * round trip from its second use on each connection.
 */
function buildStatements(db: Database) {
  const attempts = sql`${sql.placeholder("attempts")}`;
  const outcomes = sql`${sql.placeholder("outcomes")}`;
  const outcome = sql`(${outcomes}::jsonb -> ${runs.id}::text)`;
  return {
    claim: db
      .update(runs)
      .set({
        status: "running",
        attempt: sql`GREATEST(${runs.attempt} + 1, (${attempts}::jsonb ->> ${runs.id}::text)::int)`,
        startedAt: sql`now()`,
        finishedAt: null,
      })
      .where(and(unfinishedAmongKeysOf(attempts), commitWithoutFlush))
      .returning()
      .prepare("hotbeat_claim_runs"),
    finish: db
      .update(runs)
      .set({
        status: sql`${outcome} ->> 'status'`,
        finishedAt: sql`now()`,
        // A JSON null is stored as SQL NULL, as finishRun stores a null result.
        result: sql`NULLIF(${outcome} -> 'result', 'null'::jsonb)`,
        error: sql`${outcome} ->> 'error'`,
      })
      .where(unfinishedAmongKeysOf(outcomes))
      .returning()
      .prepare("hotbeat_finish_runs"),
  };
}

const statementsByDb = new WeakMap<Database, ReturnType<typeof buildStatements>>();

function statementsOf(db: Database): ReturnType<typeof buildStatements> {
  let statements = statementsByDb.get(db);
  if (!statements) statementsByDb.set(db, (statements = buildStatements(db)));
  return statements;
}

/**
 * {@link claimRun} for many runs in one statement, with the same rules row by row: a finished run
 * is never claimed, and the stored attempt is the larger of the caller's and one more than the
 * stored one. Each run id must appear once. It commits without waiting for the WAL flush, as a
 * claim may (see {@link commitWithoutFlush}); the outcomes of {@link finishRuns} are durable.
 *
 * @returns the claimed runs by id; a run that is finished or unknown is absent
 */
export async function claimRuns(db: Database, claims: readonly RunClaim[]): Promise<Map<string, RunRow>> {
  if (claims.length === 0) return new Map();
  const attempts = JSON.stringify(Object.fromEntries(claims.map((c) => [c.runId, c.attempt])));
  const rows = await statementsOf(db).claim.execute({ attempts });
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * {@link finishRun} for many runs in one statement: only unfinished runs are updated, so the first
 * execution to finish wins. Results and errors are made storable as `finishRun` does. Each run id
 * must appear once.
 *
 * @returns the finished runs by id; a run already finished or unknown is absent
 */
export async function finishRuns(db: Database, finishes: readonly RunFinish[]): Promise<Map<string, RunRow>> {
  if (finishes.length === 0) return new Map();
  const outcomes = JSON.stringify(
    Object.fromEntries(
      finishes.map(({ runId, outcome }) => [
        runId,
        {
          status: outcome.status,
          result: outcome.result === undefined ? null : toStorableJson(outcome.result),
          error: outcome.error === undefined ? null : toStorableText(outcome.error, MAX_RUN_ERROR_LENGTH),
        },
      ]),
    ),
  );
  const rows = await statementsOf(db).finish.execute({ outcomes });
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Opens `connections` connections of the pool and prepares both statements on each, so that the
 * first burst of starts after a worker starts costs what any later one does. The pool opens a
 * connection only when a query needs one (PostgreSQL forks a backend for it), and a statement's
 * first use on a connection takes two round trips: the first 50 runs due at once after a start
 * began 65 ms after their instant, those of every later second within 45. Claims and finishes
 * nothing: both statements run with no run id.
 */
export async function warmRunStatements(db: Database, connections: number): Promise<void> {
  const { claim, finish } = statementsOf(db);
  const times = Array.from({ length: connections });
  await Promise.all(times.map(() => claim.execute({ attempts: "{}" })));
  await Promise.all(times.map(() => finish.execute({ outcomes: "{}" })));
}
