// autocannon in its own process, so the load generator does not share the API's event loop.
// Each request PATCHes the next schedule (round robin) with a new cron and description: every
// request is a real change (version bump, history row, publish).
import autocannon from "autocannon";

process.once("message", async ({ url, names, durationSeconds, connections, tag }) => {
  let k = 0;
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        setupRequest: (request) => {
          k += 1;
          const name = names[k % names.length];
          const round = Math.floor(k / names.length);
          return {
            ...request,
            path: `/api/v1/schedules/${name}`,
            body: JSON.stringify({ cron: `${round % 60} 4 1 1 *`, description: `${tag} ${k}` }),
          };
        },
      },
    ],
  });
  process.send({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    latency: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  });
  setTimeout(() => process.exit(0), 50);
});
