import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";

const nowMs = () => performance.timeOrigin + performance.now();

/**
 * The independent oracle: a loopback receiver that the `http` task calls. It trusts nothing that
 * hotbeat stores: per (schedule, X-Hotbeat-Scheduled-At) it counts the distinct Idempotency-Key
 * values that arrive (a run retried after a worker's death carries the same key and counts once;
 * two keys for one instant is a double run) and the first arrival's wall-clock time.
 *
 * Query parameters shape its answer: `delayMs` holds the answer (so tasks are in flight when a
 * worker is killed), `failFirst=1` answers 503 to the first delivery of each key (the retry path).
 */
export async function startOracle(host = "127.0.0.1") {
  const fires = new Map();
  const events = new EventEmitter();
  const headersSeen = [];
  let inFlight = 0;
  let deliveries = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://oracle");
    const schedule = String(req.headers["x-hotbeat-schedule"] ?? "");
    const scheduledAt = String(req.headers["x-hotbeat-scheduled-at"] ?? "");
    const key = String(req.headers["idempotency-key"] ?? "");
    const atMs = nowMs();
    deliveries += 1;
    const id = `${schedule}|${scheduledAt}`;
    let fire = fires.get(id);
    const isNewKey = !fire || !fire.keys.has(key);
    if (!fire) {
      fire = {
        schedule,
        scheduledAtMs: Date.parse(scheduledAt),
        firstAtMs: atMs,
        keys: new Set(),
        deliveries: 0,
      };
      fires.set(id, fire);
    }
    fire.keys.add(key);
    fire.deliveries += 1;
    if (url.searchParams.has("record")) headersSeen.push(req.headers);
    inFlight += 1;
    req.resume();
    req.on("end", () => {
      events.emit("arrival", fire);
      const fail = url.searchParams.get("failFirst") === "1" && isNewKey;
      const delayMs = Number(url.searchParams.get("delayMs") ?? 0);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(fail ? 503 : 200, { "content-type": "application/json" });
        res.end(fail ? '{"retry":true}' : '{"ok":true}');
      }, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    fires,
    events,
    headersSeen,
    inFlight: () => inFlight,
    deliveries: () => deliveries,
    /** The fire of one (schedule, instant), or undefined if it never arrived. */
    fireOf: (schedule, atMs) => fires.get(`${schedule}|${new Date(atMs).toISOString()}`),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
