import { Redis } from "ioredis";
import { createBenchEnvironment, createBenchLogger, insertSchedules, pad, range } from "./lib/environment.mjs";
import { IDLE_CRON, NOOP_TASK, createClient, startBenchApi, startBenchScheduler, trackApplied } from "./lib/stack.mjs";
import { monoNowMs } from "./lib/clock.mjs";
import { summarize } from "./lib/stats.mjs";
const env = await createBenchEnvironment();
const log = createBenchLogger(env.logPath);
const names = range(1000).map((i) => `change-${pad(i)}`);
await insertSchedules(env.sql, names.map((name) => ({ name, task: NOOP_TASK, cron: IDLE_CRON })));
const scheduler = await startBenchScheduler(env, log);
const api = await startBenchApi(env, log);
const client = createClient(api.url);
const applied = trackApplied(scheduler.scheduler.events);
const sub = new Redis(env.redisUrl);
const received = new Map();
sub.on("message", (_c, raw) => { const m = JSON.parse(raw); received.set(`${m.name}@${m.version}`, monoNowMs()); });
await sub.subscribe("schedule_updates");
const rows = { sentToAnswer: [], sentToReceived: [], receivedToApplied: [], answerToApplied: [], sentToApplied: [] };
let round = 0;
for (let rep = 0; rep < 3; rep++) {
  round++;
  const body = { cron: `${round % 60} 3 1 1 *` };
  for (let start = 0; start < 1000; start += 100) {
    const answers = await Promise.all(names.slice(start, start + 100).map((n) => client.patch(n, body)));
    const at = await Promise.all(answers.map((a) => applied.waitFor(a.name, a.version, 5000)));
    answers.forEach((a, i) => {
      const r = received.get(`${a.name}@${a.version}`);
      rows.sentToAnswer.push(a.answeredAtMs - a.sentAtMs);
      rows.sentToReceived.push(r - a.sentAtMs);
      rows.receivedToApplied.push(at[i] - r);
      rows.answerToApplied.push(Math.max(0, at[i] - a.answeredAtMs));
      rows.sentToApplied.push(at[i] - a.sentAtMs);
    });
  }
}
for (const [k, v] of Object.entries(rows)) { const s = summarize(v); console.log(k.padEnd(20), "p50", s.p50.toFixed(1), "p99", s.p99.toFixed(1), "max", s.max.toFixed(1)); }
sub.disconnect(); applied.stop(); await client.close(); await api.close(); await scheduler.stop(); await env.dispose();
process.exit(0);
