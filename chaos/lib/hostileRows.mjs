import postgres from "postgres";
import { sleep, wallNowMs } from "./apiClient.mjs";

// Rows written straight into `schedules` by SQL with values the API would refuse. The table's
// CHECK constraints refuse some; the others land, and then the scheduler must keep firing every
// other schedule, and the API must list each one invalid with its reason and delete it.

export const HOSTILE_ROWS = "hostile rows written by SQL";

/**
 * `expect`: "refused" (a CHECK constraint should stop it), "invalid" (it lands and must be listed
 * by `?health=invalid`), "either" (a value the API would take or that hotbeat may repair: only
 * reported). Columns are SQL literals.
 */
const ROWS = [
  { name: "hr-invalid-cron", expect: "invalid", columns: { cron: "'61 * * * *'" } },
  {
    name: "hr-unknown-zone",
    expect: "invalid",
    columns: { interval_seconds: "1", timezone: "'Mars/Olympus_Mons'" },
  },
  { name: "hr-interval-zero", expect: "refused", columns: { interval_seconds: "0" } },
  { name: "hr-interval-negative", expect: "refused", columns: { interval_seconds: "-5" } },
  {
    name: "hr-cron-and-interval",
    expect: "refused",
    columns: { cron: "'* * * * * *'", interval_seconds: "1" },
  },
  { name: "hr-run-at-9999", expect: "either", columns: { run_at: "'9999-12-31T23:59:59Z'" } },
  {
    name: "hr-payload-1mb",
    expect: "invalid",
    columns: { cron: "'0 0 1 1 *'", payload: "jsonb_build_object('blob', repeat('x', 1048576))" },
  },
  { name: "HR bad name!", expect: "refused", columns: { interval_seconds: "1" } },
  {
    name: "hr-misfire-unknown",
    expect: "refused",
    columns: { interval_seconds: "1", misfire_policy: "'sometimes'" },
  },
  {
    name: "hr-labels-not-strings",
    expect: "invalid",
    columns: { interval_seconds: "1", labels: `'{"team": 5, "nested": {"a": "b"}}'` },
  },
  { name: "hr-labels-array", expect: "refused", columns: { interval_seconds: "1", labels: `'["team"]'` } },
  {
    name: "hr-exclude-not-dates",
    expect: "invalid",
    columns: { interval_seconds: "1", exclude: `'["not-a-date", 42, "2026-13-45"]'` },
  },
  { name: "hr-exclude-object", expect: "refused", columns: { interval_seconds: "1", exclude: "'{}'" } },
  {
    name: "hr-missing-calendar",
    expect: "invalid",
    columns: { interval_seconds: "1", calendars: `'["no-such-calendar"]'` },
  },
  {
    name: "hr-paused-until-past",
    expect: "either",
    columns: { interval_seconds: "1", enabled: "false", paused_until: "now() - interval '1 hour'" },
  },
];
/** A plain row inserted after the hostile ones: once it has a run, the scheduler has read them all. */
const CANARY = "hr-canary";
const POLL_WAIT_MS = 75_000;

function insertStatement(name, columns) {
  const all = { task: "'log'", ...columns };
  const quoted = `'${name.replaceAll("'", "''")}'`;
  return `INSERT INTO schedules (name, ${Object.keys(all).join(", ")}) VALUES (${quoted}, ${Object.values(all).join(", ")})`;
}

/**
 * The step: writes every row and returns at once, so that the rows stay through the faults that
 * follow; `finish()`, after the timeline, waits until the scheduler has read them (the canary has
 * a run: a row written by SQL reaches it only by its poll, up to a minute later), then reads the
 * API's list of invalid schedules and deletes every landed row through the API.
 */
export async function writeHostileRows(ctx) {
  const sql = postgres(ctx.deployment.pg.url, { max: 1, onnotice: () => undefined });
  const startMs = wallNowMs();
  const outcomes = [];
  try {
    for (const row of ROWS) {
      const outcome = { name: row.name, expect: row.expect };
      try {
        await sql.unsafe(insertStatement(row.name, row.columns));
        outcome.landed = true;
      } catch (error) {
        outcome.landed = false;
        outcome.refusedBy = error.constraint_name ?? error.message;
      }
      outcomes.push(outcome);
    }
    await sql.unsafe(insertStatement(CANARY, { interval_seconds: "1" }));
  } finally {
    await sql.end({ timeout: 2 });
  }
  const landed = outcomes.filter((o) => o.landed).length;
  return {
    event: { startMs, endMs: wallNowMs(), detail: `${landed} of ${outcomes.length} landed` },
    finish: () => checkHostileRows(ctx, outcomes),
  };
}

async function checkHostileRows(ctx, outcomes) {
  const sql = postgres(ctx.deployment.pg.url, { max: 1, onnotice: () => undefined });
  try {
    const loaded = await waitForRun(sql, CANARY, POLL_WAIT_MS);
    const listed = await ctx.api.get("/api/v1/schedules?health=invalid");
    const invalid = new Map((listed.body?.schedules ?? []).map((s) => [s.name, s.health?.reason]));
    for (const outcome of outcomes.filter((o) => o.landed)) {
      outcome.listedInvalid = invalid.has(outcome.name);
      outcome.reason = invalid.get(outcome.name) ?? null;
      const [row] = await sql`
        SELECT enabled, (SELECT count(*)::int FROM runs WHERE schedule_name = ${outcome.name}) AS runs
        FROM schedules WHERE name = ${outcome.name}`;
      outcome.enabledAtEnd = row?.enabled ?? null;
      outcome.runs = row?.runs ?? null;
      const deleted = await ctx.api.delete(`/api/v1/schedules/${encodeURIComponent(outcome.name)}`);
      const after = await ctx.api.get(`/api/v1/schedules/${encodeURIComponent(outcome.name)}`);
      outcome.deleteStatus = deleted.status;
      outcome.deleted = deleted.status >= 200 && deleted.status < 300 && after.status === 404;
    }
    await ctx.api.delete(`/api/v1/schedules/${CANARY}`);
    return { listStatus: listed.status, schedulerReadThem: loaded, rows: outcomes };
  } finally {
    await sql.end({ timeout: 2 });
  }
}

async function waitForRun(sql, name, timeoutMs) {
  const deadlineMs = wallNowMs() + timeoutMs;
  while (wallNowMs() < deadlineMs) {
    const [row] = await sql`SELECT count(*)::int AS n FROM runs WHERE schedule_name = ${name}`.catch(() => [
      { n: 0 },
    ]);
    if (row.n > 0) return true;
    await sleep(500);
  }
  return false;
}

/** One line for the table, and the failures: a landed row not listed or not deletable, a list ≥ 500. */
export function summarizeHostileRows(result) {
  const failures = [];
  if (!result) return { line: null, failures };
  const refused = result.rows.filter((r) => !r.landed);
  const landed = result.rows.filter((r) => r.landed);
  if (result.listStatus !== 200)
    failures.push(`hostile rows: the list of invalid schedules answered ${result.listStatus}`);
  if (!result.schedulerReadThem)
    failures.push("hostile rows: the scheduler never read them (the canary never ran)");
  for (const r of landed) {
    // A row the CHECKs should have refused is one the API refuses too: it must be listed.
    if (r.expect !== "either" && !r.listedInvalid)
      failures.push(`hostile rows: ${r.name} landed but is not listed invalid`);
    if (!r.deleted)
      failures.push(`hostile rows: ${r.name} could not be deleted through the API (${r.deleteStatus})`);
  }
  const describe = (r) =>
    `${r.name}: ${r.listedInvalid ? r.reason : "listed ok"}; ${r.runs} runs, ${r.enabledAtEnd ? "enabled" : "disabled"}`;
  const line =
    `hostile rows: ${result.rows.length} written by SQL; refused by CHECK: ${refused.length} ` +
    `(${refused.map((r) => `${r.name}: ${r.refusedBy}`).join(", ")}); landed: ${landed.length}, ` +
    `listed invalid: ${landed.filter((r) => r.listedInvalid).length}, deleted through the API: ` +
    `${landed.filter((r) => r.deleted).length}; the scheduler read them: ${result.schedulerReadThem}\n  ` +
    landed.map(describe).join("\n  ");
  return { line, failures };
}
