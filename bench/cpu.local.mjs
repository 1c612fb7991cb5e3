import { fork } from "node:child_process";
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { createBenchEnvironment, createBenchLogger, insertSchedules, pad, range } from "./lib/environment.mjs";
import { IDLE_CRON, NOOP_TASK, startBenchApi } from "./lib/stack.mjs";
const env = await createBenchEnvironment();
const log = createBenchLogger(env.logPath);
const names = range(1000).map((i) => `load-${pad(i)}`);
await insertSchedules(env.sql, names.map((name) => ({ name, task: NOOP_TASK, cron: IDLE_CRON })));
const api = await startBenchApi(env, log);
const run = (tag, durationSeconds) => new Promise((resolve) => { const c = fork("./bench/children/loadGenerator.mjs"); c.once("message", resolve); c.send({ url: api.url, names, durationSeconds, connections: 16, tag }); });
await run("warm", 2);
const out = [];
const session = new Session(); session.connect(); await session.post("Profiler.enable"); if (process.env.PROF) await session.post("Profiler.start");
for (let i = 0; i < 3; i++) {
  const c0 = process.cpuUsage(); const r = await run(`r${i}`, 4); const c = process.cpuUsage(c0);
  out.push({ rps: r.requestsPerSecond, cpuMsPerReq: (c.user + c.system) / 1000 / r.total, total: r.total });
}
if (process.env.PROF) { const { profile } = await session.post("Profiler.stop"); writeFileSync(process.env.PROF, JSON.stringify(profile)); }
console.log(JSON.stringify(out.map((o) => `${o.rps.toFixed(0)} req/s, ${o.cpuMsPerReq.toFixed(2)} ms CPU/req`)));
await api.close(); await env.dispose(); process.exit(0);
