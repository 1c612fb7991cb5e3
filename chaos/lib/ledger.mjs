import { MISFIRE_GRACE_SECONDS, computeOwedInstants, isInstantOf } from "./schedules.mjs";

export const BASELINE_ROW = "none (baseline)";
/** A fire that reached the oracle this much before its instant came from a clock that ran ahead. */
const EARLY_TOLERANCE_MS = 100;
export const CHANGES_ROW = "changes: edit, pause, delete + re-create (API), UPDATE (SQL)";

function emptyRow(row) {
  return {
    row,
    times: 0,
    details: [],
    owed: 0,
    once: 0,
    twice: 0,
    never: 0,
    lateBeyondGrace: 0,
    early: 0,
    spurious: 0,
    /** The first owed instants that never arrived, and the first fires not owed, for results.json. */
    neverSample: [],
    spuriousSample: [],
    maxLateMs: 0,
    recoverySeconds: null,
    api: null,
  };
}

/**
 * Scores the run against the oracle. Stable schedules owe every instant from creation plus
 * `settleMs` to `endMs - marginMs`; each owed instant is counted in the row of the fault whose
 * segment (from its start to the next fault's start) holds it. Edited schedules owe the instants
 * of their stable windows and are counted in the changes row. A double run is two distinct
 * idempotency keys for one (schedule, instant), wherever it falls. A fire that arrived before its
 * instant is "early", counted in the row of its arrival.
 */
export function scoreRun({ stable, windows, events, oracle, probe, endMs, settleMs, marginMs }) {
  const ordered = [...events].sort((a, b) => a.startMs - b.startMs);
  const rows = new Map([[BASELINE_ROW, emptyRow(BASELINE_ROW)]]);
  for (const event of ordered) {
    const row = rows.get(event.row) ?? emptyRow(event.row);
    row.times += 1;
    if (event.detail) row.details.push(event.detail);
    rows.set(event.row, row);
  }
  const rowAt = (atMs) => {
    let found = BASELINE_ROW;
    for (const event of ordered) if (event.startMs <= atMs) found = event.row;
    return rows.get(found);
  };
  const lastOwedMs = endMs - marginMs;
  const count = (row, name, atMs) => {
    row.owed += 1;
    const fire = oracle.fireOf(name, atMs);
    if (!fire) {
      row.never += 1;
      if (row.neverSample.length < 20) row.neverSample.push(`${name} ${new Date(atMs).toISOString()}`);
      return;
    }
    if (fire.keys.size === 1) row.once += 1;
    const lateMs = fire.firstAtMs - atMs;
    row.maxLateMs = Math.max(row.maxLateMs, Math.round(lateMs));
    if (lateMs > MISFIRE_GRACE_SECONDS * 1000) row.lateBeyondGrace += 1;
  };
  const definitions = new Map(stable.map((plan) => [plan.name, plan]));
  for (const plan of stable) {
    for (const atMs of computeOwedInstants(plan, plan.createdMs + settleMs, lastOwedMs))
      count(rowAt(atMs), plan.name, atMs);
  }
  // A leader whose clock is off judges a change by its own clock: one ahead has already fired
  // instants of the old definition (early) and none of the new one's up to where its clock had
  // got; one behind applies a pause or a deletion before instants that were truly due but not yet
  // by its clock. Edited schedules owe nothing while a clock is off (and, ahead, as far as it went).
  const isClockOff = createClockOffTest(events, settleMs);
  const changes = emptyRow(CHANGES_ROW);
  for (const [name, list] of windows) {
    for (const w of list) {
      changes.times += 1;
      const toMs = Math.min(w.toMs ?? lastOwedMs, lastOwedMs);
      for (const atMs of computeOwedInstants(w.definition, w.fromMs, toMs))
        if (!isClockOff(atMs)) count(changes, name, atMs);
    }
  }
  changes.times = Math.max(0, changes.times - windows.size);
  for (const fire of oracle.fires.values()) {
    const plan = definitions.get(fire.schedule);
    const row = plan ? rowAt(fire.scheduledAtMs) : changes;
    if (fire.keys.size > 1) row.twice += 1;
    // Counted where it arrived: in the row of the fault that made a clock run ahead.
    if (fire.firstAtMs < fire.scheduledAtMs - EARLY_TOLERANCE_MS)
      (plan ? rowAt(fire.firstAtMs) : changes).early += 1;
    if (plan && (!isInstantOf(plan, fire.scheduledAtMs) || fire.scheduledAtMs < plan.requestedMs - 1000))
      noteSpurious(row, fire);
    if (!plan && isClockOff(fire.firstAtMs)) continue;
    const w = windows
      .get(fire.schedule)
      ?.find((x) => fire.scheduledAtMs >= x.fromMs && fire.scheduledAtMs <= (x.toMs ?? lastOwedMs));
    if (w && !isInstantOf(w.definition, fire.scheduledAtMs)) noteSpurious(row, fire);
  }
  const fires = [...oracle.fires.values()];
  for (const event of ordered) {
    const row = rows.get(event.row);
    const first = fires
      .filter((f) => f.scheduledAtMs >= event.startMs && f.firstAtMs >= event.startMs)
      .reduce((min, f) => Math.min(min, f.firstAtMs), Infinity);
    const seconds = Number.isFinite(first) ? Number(((first - event.startMs) / 1000).toFixed(1)) : null;
    row.recoverySeconds =
      seconds === null ? row.recoverySeconds : Math.max(row.recoverySeconds ?? 0, seconds);
    const answers = probe?.summarize(event.startMs, event.endMs);
    if (answers) row.api = mergeAnswers(row.api, answers);
  }
  const result = [...rows.values()];
  if (windows.size > 0) result.push(changes);
  return result;
}

/** Whether an instant falls where a leader's clock was off (see `clockAheadMs` of an event). */
function createClockOffTest(events = [], settleMs) {
  const spans = events
    .filter((e) => e.clockAheadMs !== undefined)
    .map((e) => [e.startMs, e.endMs + e.clockAheadMs + settleMs]);
  return (atMs) => spans.some(([from, to]) => atMs >= from && atMs <= to);
}

function noteSpurious(row, fire) {
  row.spurious += 1;
  if (row.spuriousSample.length < 20)
    row.spuriousSample.push(`${fire.schedule} ${new Date(fire.scheduledAtMs).toISOString()}`);
}

function mergeAnswers(into, add) {
  if (!into) return add;
  const codes = { ...into.codes };
  for (const [code, n] of Object.entries(add.codes)) codes[code] = (codes[code] ?? 0) + n;
  return { codes, maxLatencyMs: Math.max(into.maxLatencyMs, add.maxLatencyMs) };
}

/** The owed instants that have not reached the oracle yet (for the drain at the end). */
export function countMissing({ stable, windows, oracle, events, endMs, settleMs, marginMs }) {
  let missing = 0;
  const isClockOff = createClockOffTest(events, settleMs);
  const lastOwedMs = endMs - marginMs;
  for (const plan of stable)
    for (const atMs of computeOwedInstants(plan, plan.createdMs + settleMs, lastOwedMs))
      if (!oracle.fireOf(plan.name, atMs)) missing += 1;
  for (const [name, list] of windows)
    for (const w of list)
      for (const atMs of computeOwedInstants(
        w.definition,
        w.fromMs,
        Math.min(w.toMs ?? lastOwedMs, lastOwedMs),
      ))
        if (!isClockOff(atMs) && !oracle.fireOf(name, atMs)) missing += 1;
  return missing;
}
