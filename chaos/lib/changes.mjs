import postgres from "postgres";
import { buildScheduleBody } from "./schedules.mjs";
import { sleep, wallNowMs } from "./apiClient.mjs";

const SETTLE_MS = 2000;
const MARGIN_MS = 1000;

/**
 * Schedules edited, paused, deleted and re-created while the faults run, through the API and by
 * SQL. The oracle owes an edited schedule only the instants of windows in which its definition
 * was stable and known: from a confirmed change (plus a settle margin; a poll interval and more
 * for SQL, which no message announces) to the next change sent (minus a margin). A change whose
 * answer is not a success leaves the definition unknown until the next confirmed one.
 */
export function createChangeDriver({ api, databaseUrl, oracleUrl, anchorAt, pollIntervalMs }) {
  const windows = new Map();
  const log = [];
  const plans = {
    "edit-cron": { name: "edit-cron", cron: "*/2 * * * * *" },
    "edit-interval": { name: "edit-interval", intervalSeconds: 2, startAt: anchorAt },
    "edit-pause": { name: "edit-pause", cron: "* * * * * *" },
    "edit-recreate": { name: "edit-recreate", cron: "*/2 * * * * *" },
    "edit-sql": { name: "edit-sql", cron: "*/2 * * * * *" },
  };
  const state = { "edit-cron": 0, "edit-interval": 0, "edit-pause": 0, "edit-recreate": 0, "edit-sql": 0 };
  const sql = databaseUrl
    ? postgres(databaseUrl, { max: 1, onnotice: () => undefined, connect_timeout: 5 })
    : null;
  let stopped = true;
  let loop;

  const definitionOf = (plan) => ({
    cron: plan.cron,
    intervalSeconds: plan.intervalSeconds,
    startAt: plan.startAt,
  });
  function close(name, atMs) {
    const open = windows.get(name)?.at(-1);
    if (open && open.toMs === null) open.toMs = Math.max(open.fromMs, atMs - MARGIN_MS);
  }
  function openWindow(name, definition, atMs, settleMs = SETTLE_MS) {
    const list = windows.get(name) ?? [];
    list.push({ definition, fromMs: atMs + settleMs, toMs: null });
    windows.set(name, list);
  }
  const ok = (answer) => typeof answer.status === "number" && answer.status >= 200 && answer.status < 300;
  const appliedSettle = (answer) => (answer.body?.applied?.complete ? SETTLE_MS : pollIntervalMs + SETTLE_MS);
  const wait = "?wait=applied&timeoutMs=5000";

  async function change(name) {
    const turn = (state[name] += 1);
    const sentMs = wallNowMs();
    close(name, sentMs);
    let answer;
    let definition;
    if (name === "edit-cron") {
      definition = { cron: turn % 2 ? "*/3 * * * * *" : "*/2 * * * * *" };
      answer = await api.patch(`/api/v1/schedules/${name}${wait}`, definition);
    } else if (name === "edit-interval") {
      definition = { intervalSeconds: turn % 2 ? 3 : 2, startAt: anchorAt };
      answer = await api.patch(`/api/v1/schedules/${name}${wait}`, definition);
    } else if (name === "edit-pause") {
      const enabled = turn % 2 === 0;
      definition = enabled ? definitionOf(plans[name]) : null;
      answer = await api.patch(`/api/v1/schedules/${name}${wait}`, { enabled });
    } else if (name === "edit-recreate") {
      const removed = await api.delete(`/api/v1/schedules/${name}${wait}`);
      log.push({ name, atMs: sentMs, action: "delete", status: removed.status });
      definition = definitionOf(plans[name]);
      answer = await api.post(`/api/v1/schedules${wait}`, buildScheduleBody(plans[name], oracleUrl));
    } else {
      definition = { cron: turn % 2 ? "*/4 * * * * *" : "*/2 * * * * *" };
      answer = await sql`UPDATE schedules SET cron = ${definition.cron} WHERE name = ${name}`.then(
        () => ({ status: 200, body: { applied: { complete: false } } }),
        (error) => ({ status: "sql error", body: { error: error.message } }),
      );
    }
    log.push({ name, atMs: sentMs, action: JSON.stringify(definition), status: answer.status });
    if (ok(answer) && definition) openWindow(name, definition, wallNowMs(), appliedSettle(answer));
  }

  return {
    windows,
    log,
    plans: Object.values(plans),
    /** Creates the edited schedules; their first window opens once each is confirmed. */
    async create() {
      for (const plan of Object.values(plans)) {
        const answer = await api.post(`/api/v1/schedules${wait}`, buildScheduleBody(plan, oracleUrl));
        if (!ok(answer))
          throw new Error(`creating ${plan.name}: ${answer.status} ${JSON.stringify(answer.body)}`);
        openWindow(plan.name, definitionOf(plan), wallNowMs(), appliedSettle(answer));
      }
    },
    /** One change every `everyMs`, round robin; SQL changes only every `sqlEveryMs`. */
    start(everyMs, sqlEveryMs) {
      stopped = false;
      const apiNames = ["edit-cron", "edit-interval", "edit-pause", "edit-recreate"];
      let turn = 0;
      let lastSqlMs = wallNowMs();
      loop = (async () => {
        while (!stopped) {
          await sleep(everyMs);
          if (stopped) break;
          const sqlDue = sql && wallNowMs() - lastSqlMs >= sqlEveryMs;
          if (sqlDue) lastSqlMs = wallNowMs();
          await change(sqlDue ? "edit-sql" : apiNames[turn++ % apiNames.length]);
        }
      })();
    },
    async stop() {
      stopped = true;
      await loop;
      await sql?.end({ timeout: 2 });
    },
  };
}
