import { combineRepetitions, summarize } from "../lib/stats.mjs";
import { monoNowMs, sleep } from "../lib/clock.mjs";
import { insertSchedules, pad, progress, range } from "../lib/environment.mjs";
import {
  IDLE_CRON,
  NOOP_TASK,
  createClient,
  startBenchApi,
  startBenchScheduler,
  startSilentApi,
  trackApplied,
} from "../lib/stack.mjs";

const UPDATES = 1000;
const BURST = 100;
const POLL_MS = 5000;

/**
 * Section 1: from the API's answer to the scheduler holding the new version, with push (the
 * `schedule_updates` message) and without it (a silent write path and a 5 s poll). Bursts are
 * also measured from each request sent, which adds the API's own queueing of the burst.
 */
export async function benchChangeApplied(env, log, options) {
  const names = range(UPDATES).map((i) => `change-${pad(i)}`);
  await insertSchedules(
    env.sql,
    names.map((name) => ({ name, task: NOOP_TASK, cron: IDLE_CRON })),
  );
  // Each round moves every schedule to a new minute, so every PATCH is a real change.
  let round = 0;
  const nextBody = () => {
    round += 1;
    return { cron: `${round % 60} 3 1 1 *` };
  };

  const push = { single: [], singleFromSent: [], burst: [], burstFromSent: [], early: 0, missing: 0 };
  {
    const scheduler = await startBenchScheduler(env, log);
    const api = await startBenchApi(env, log);
    const client = createClient(api.url);
    const applied = trackApplied(scheduler.scheduler.events);
    const latency = (answer, appliedAtMs) => {
      if (appliedAtMs === null) {
        push.missing += 1;
        return NaN;
      }
      // The message can beat the HTTP answer to the client: that is 0 ms after the answer.
      if (appliedAtMs < answer.answeredAtMs) push.early += 1;
      return Math.max(0, appliedAtMs - answer.answeredAtMs);
    };
    try {
      for (let rep = 1; rep <= options.pushReps; rep += 1) {
        progress(`1 change→applied, push: repetition ${rep}/${options.pushReps}, one at a time`);
        let body = nextBody();
        const single = [];
        const singleFromSent = [];
        for (const name of names) {
          const answer = await client.patch(name, body);
          const appliedAtMs = await applied.waitFor(name, answer.version, 5000);
          single.push(latency(answer, appliedAtMs));
          singleFromSent.push(appliedAtMs === null ? NaN : appliedAtMs - answer.sentAtMs);
        }
        push.single.push(summarize(single));
        push.singleFromSent.push(summarize(singleFromSent));
        progress(`1 change→applied, push: repetition ${rep}/${options.pushReps}, bursts of ${BURST}`);
        body = nextBody();
        const burst = [];
        const burstFromSent = [];
        for (let start = 0; start < UPDATES; start += BURST) {
          const answers = await Promise.all(
            names.slice(start, start + BURST).map((name) => client.patch(name, body)),
          );
          const appliedAt = await Promise.all(answers.map((a) => applied.waitFor(a.name, a.version, 5000)));
          answers.forEach((a, i) => burst.push(latency(a, appliedAt[i])));
          // From the request sent: the API's queueing of the burst's other requests counts too.
          answers.forEach((a, i) =>
            burstFromSent.push(appliedAt[i] === null ? NaN : appliedAt[i] - a.sentAtMs),
          );
        }
        push.burst.push(summarize(burst));
        push.burstFromSent.push(summarize(burstFromSent));
      }
    } finally {
      applied.stop();
      await client.close();
      await api.close();
      await scheduler.stop();
    }
  }

  const poll = { single: [], burst: [], missing: 0 };
  {
    const scheduler = await startBenchScheduler(env, log, { pollIntervalMs: POLL_MS });
    const api = await startSilentApi(env, log);
    const client = createClient(api.url);
    const applied = trackApplied(scheduler.scheduler.events);
    const collect = async (answers) => {
      const appliedAt = await Promise.all(
        answers.map((a) => applied.waitFor(a.name, a.version, 2 * POLL_MS + 5000)),
      );
      return answers.map((a, i) => {
        if (appliedAt[i] === null) {
          poll.missing += 1;
          return NaN;
        }
        return Math.max(0, appliedAt[i] - a.answeredAtMs);
      });
    };
    try {
      for (let rep = 1; rep <= options.pollReps; rep += 1) {
        // Paced over two poll periods, so the answers fall evenly across the poll's cycle.
        const paceMs = (2 * POLL_MS) / UPDATES;
        progress(
          `1 change→applied, 5 s poll: repetition ${rep}/${options.pollReps}, one at a time (paced ${paceMs} ms)`,
        );
        let body = nextBody();
        const answers = [];
        const t0 = monoNowMs();
        for (const [i, name] of names.entries()) {
          answers.push(await client.patch(name, body));
          await sleep(t0 + (i + 1) * paceMs - monoNowMs());
        }
        poll.single.push(summarize(await collect(answers)));
        progress(
          `1 change→applied, 5 s poll: repetition ${rep}/${options.pollReps}, bursts of ${BURST} every 1.3 s`,
        );
        body = nextBody();
        const burstAnswers = [];
        const t1 = monoNowMs();
        for (let start = 0, k = 1; start < UPDATES; start += BURST, k += 1) {
          burstAnswers.push(
            ...(await Promise.all(names.slice(start, start + BURST).map((name) => client.patch(name, body)))),
          );
          await sleep(t1 + k * 1300 - monoNowMs());
        }
        poll.burst.push(summarize(await collect(burstAnswers)));
      }
    } finally {
      applied.stop();
      await client.close();
      await api.close();
      await scheduler.stop();
    }
  }

  return {
    push: {
      single: combineRepetitions(push.single),
      singleFromSent: combineRepetitions(push.singleFromSent),
      burst: combineRepetitions(push.burst),
      burstFromSent: combineRepetitions(push.burstFromSent),
      appliedBeforeAnswer: push.early,
      missing: push.missing,
    },
    poll5s: {
      single: combineRepetitions(poll.single),
      burst: combineRepetitions(poll.burst),
      missing: poll.missing,
    },
  };
}
