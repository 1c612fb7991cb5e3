import { performance } from "node:perf_hooks";

/** Wall-clock milliseconds with sub-millisecond resolution (due instants are wall-clock). */
export const wallNowMs = () => performance.timeOrigin + performance.now();
export const monoNowMs = () => performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const ceilToSecondMs = (ms) => Math.ceil(ms / 1000) * 1000;

/** A six-field cron (seconds first, UTC) that fires at exactly this instant once a year. */
export function cronAt(atMs) {
  const d = new Date(atMs);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
}

/** Resolves when `predicate()` is true, polling every `everyMs`; false on timeout. */
export async function waitUntil(predicate, timeoutMs, everyMs = 10) {
  const deadline = monoNowMs() + timeoutMs;
  while (!predicate()) {
    if (monoNowMs() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
