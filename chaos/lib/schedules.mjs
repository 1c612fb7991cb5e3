// The schedules the suite creates and the instants each one owes. Crons use only the seconds
// field (`S * * * * *`, UTC) and intervals carry an explicit whole-second startAt, so the owed
// instants follow from the definition by plain arithmetic, independent of hotbeat's own math.

/** A generous grace, so that every instant delayed by a fault is still owed (run_all). */
export const MISFIRE_GRACE_SECONDS = 600;

/** The seconds (0-59) a `S * * * * *` cron fires at: `*`, `*\/n` or a list `a,b,c`. */
export function parseSecondsField(cron) {
  const field = cron.split(" ")[0];
  if (field === "*") return new Set(Array.from({ length: 60 }, (_, i) => i));
  const step = /^\*\/(\d+)$/.exec(field);
  if (step) return new Set(Array.from({ length: 60 }, (_, i) => i).filter((s) => s % Number(step[1]) === 0));
  return new Set(field.split(",").map(Number));
}

/** Every instant (ms) in [fromMs, toMs] at which `definition` fires. */
export function computeOwedInstants(definition, fromMs, toMs) {
  const owed = [];
  if (definition.intervalSeconds) {
    const anchorMs = Date.parse(definition.startAt);
    const stepMs = definition.intervalSeconds * 1000;
    const firstK = Math.max(0, Math.ceil((fromMs - anchorMs) / stepMs));
    for (let at = anchorMs + firstK * stepMs; at <= toMs; at += stepMs) owed.push(at);
    return owed;
  }
  const seconds = parseSecondsField(definition.cron);
  for (let at = Math.ceil(fromMs / 1000) * 1000; at <= toMs; at += 1000) {
    if (seconds.has(new Date(at).getUTCSeconds())) owed.push(at);
  }
  return owed;
}

/** Whether `atMs` is an instant of `definition` at all. */
export function isInstantOf(definition, atMs) {
  return computeOwedInstants(definition, atMs, atMs).length === 1;
}

const MIXES = {
  short: [
    ["* * * * * *", 5],
    ["*/2 * * * * *", 3],
    ["*/5 * * * * *", 2],
    [1, 2],
    [2, 2],
    [3, 2],
  ],
  default: [
    ["* * * * * *", 10],
    ["*/2 * * * * *", 5],
    ["*/5 * * * * *", 3],
    ["0,15,30,45 * * * * *", 2],
    [1, 4],
    [2, 3],
    [3, 3],
  ],
};

/**
 * The stable schedules: never edited, so they owe every instant from creation (plus a settle
 * margin) to the end. A few answer slowly (`delayMs`) so that tasks are in flight when a worker
 * dies.
 */
export function planStableSchedules(tier, anchorAt) {
  const mix = MIXES[tier === "short" ? "short" : "default"];
  const plans = [];
  for (const [when, count] of mix) {
    for (let i = 0; i < count; i++) {
      const index = plans.length;
      const name =
        typeof when === "number"
          ? `every-${when}s-${index}`
          : `cron-${when.split(" ")[0].replace(/\W+/g, "x")}-${index}`;
      const timing = typeof when === "number" ? { intervalSeconds: when, startAt: anchorAt } : { cron: when };
      plans.push({ name, ...timing, delayMs: index % 4 === 0 ? 1500 : 0 });
    }
  }
  return plans;
}

/** The body of a POST /api/v1/schedules for a plan, whose `http` task calls the oracle. */
export function buildScheduleBody(plan, oracleUrl, extra = {}) {
  const query = new URLSearchParams({ s: plan.name });
  if (plan.delayMs) query.set("delayMs", String(plan.delayMs));
  for (const [k, v] of Object.entries(extra.query ?? {})) query.set(k, v);
  return {
    name: plan.name,
    task: "http",
    ...(plan.cron ? { cron: plan.cron, timezone: "UTC" } : {}),
    ...(plan.intervalSeconds ? { intervalSeconds: plan.intervalSeconds, startAt: plan.startAt } : {}),
    payload: {
      method: "POST",
      url: `${oracleUrl}/hook?${query}`,
      headers: extra.headers ?? {},
      body: { from: "hotbeat chaos" },
      timeoutMs: 10_000,
    },
    misfirePolicy: "run_all",
    misfireGraceSeconds: MISFIRE_GRACE_SECONDS,
    description: "chaos suite",
  };
}
