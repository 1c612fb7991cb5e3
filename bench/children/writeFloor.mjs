// PostgreSQL alone, no API: the statements of one schedule update, looped by `connections`
// clients for `durationSeconds`, in a process of its own. Shows what the database allows each
// shape of the write, so the API's figure can be read as a fraction of it.
import { monoNowMs as monotonicNowMs } from "../lib/clock.mjs";
import postgres from "postgres";

const context = (actor) =>
  `set_config('hotbeat.actor', ${actor}, true) || set_config('hotbeat.source', 'api', true) || set_config('hotbeat.note', '', true)`;

/** Each shape: one schedule update, with its version bump, history row and change context. */
const SHAPES = {
  // BEGIN, the row locked, the context set, the update, COMMIT: the write path before.
  fiveStatements: (sql) => async (name, cron, description) =>
    sql.begin(async (tx) => {
      await tx.unsafe(`select * from schedules where name = $1 for update`, [name]);
      await tx.unsafe(`select ${context("$1")}`, ["bench"]);
      await tx.unsafe(`update schedules set cron = $2, description = $3 where name = $1 returning *`, [
        name,
        cron,
        description,
      ]);
    }),
  // The row read, then one update guarded by the version read and carrying the context: hotbeat's.
  readThenWrite: (sql) => async (name, cron, description) => {
    const [row] = await sql.unsafe(`select * from schedules where name = $1`, [name]);
    await sql.unsafe(
      `update schedules set cron = $2, description = $3 where name = $1 and version = $4 and (select ${context("'bench'")}) is not null returning *`,
      [name, cron, description, row.version],
    );
  },
  // The update alone, context included: one round trip, what no validation against the row allows.
  oneStatement: (sql) => async (name, cron, description) =>
    sql.unsafe(
      `update schedules set cron = $2, description = $3 where name = $1 and (select ${context("'bench'")}) is not null returning *`,
      [name, cron, description],
    ),
};

process.once("message", async ({ databaseUrl, names, durationSeconds, connections, shape, tag }) => {
  const sql = postgres(databaseUrl, { max: connections, onnotice: () => undefined });
  const write = SHAPES[shape](sql);
  let k = 0;
  let done = 0;
  const endAtMs = monotonicNowMs() + durationSeconds * 1000;
  const startedAtMs = monotonicNowMs();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (monotonicNowMs() < endAtMs) {
        k += 1;
        const name = names[k % names.length];
        await write(name, `${Math.floor(k / names.length) % 60} 5 1 1 *`, `${tag} ${k}`);
        done += 1;
      }
    }),
  );
  const elapsedMs = monotonicNowMs() - startedAtMs;
  await sql.end({ timeout: 5 });
  process.send({ shape, writesPerSecond: (done * 1000) / elapsedMs, total: done });
  setTimeout(() => process.exit(0), 50);
});
