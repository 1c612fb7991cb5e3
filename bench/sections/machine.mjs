import { Redis } from "ioredis";
import { summarize } from "../lib/stats.mjs";
import { monoNowMs, sleep } from "../lib/clock.mjs";
import { progress } from "../lib/environment.mjs";

const SAMPLES = 500;

/**
 * Section 0: what this machine gives any process right now — how late a 2 ms timer wakes, and
 * the round trip of `SELECT 1` and Redis `PING` on loopback. Other work on the machine shows
 * up here first, and every figure below includes it.
 */
export async function benchMachine(env) {
  progress("0 machine: timer wake-up and loopback round trips");
  const timer = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const t = monoNowMs();
    await sleep(2);
    timer.push(monoNowMs() - t - 2);
  }
  const pg = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const t = monoNowMs();
    await env.sql`SELECT 1`;
    pg.push(monoNowMs() - t);
  }
  const redis = new Redis(env.redisUrl);
  const ping = [];
  try {
    for (let i = 0; i < SAMPLES; i += 1) {
      const t = monoNowMs();
      await redis.ping();
      ping.push(monoNowMs() - t);
    }
  } finally {
    redis.disconnect();
  }
  return { timerLateness: summarize(timer), postgresSelect1: summarize(pg), redisPing: summarize(ping) };
}
