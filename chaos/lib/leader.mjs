import { sleep, wallNowMs } from "./apiClient.mjs";

/** The leader's process, found through GET /api/v1/scheduler (its status carries its pid). */
export async function findLeader(ctx, timeoutMs = 20_000) {
  const deadlineMs = wallNowMs() + timeoutMs;
  while (wallNowMs() < deadlineMs) {
    const answer = await ctx.api.get("/api/v1/scheduler");
    const leader = answer.body?.schedulers?.find((s) => s.isLeader);
    const proc = leader && ctx.deployment.schedulerByPid(leader.pid);
    if (proc?.isAlive()) return proc;
    await sleep(250);
  }
  throw new Error("no live leader reported by GET /api/v1/scheduler");
}
