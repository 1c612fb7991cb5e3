import net from "node:net";

// A loopback TCP proxy between one hotbeat process and PostgreSQL or Redis, so that faults land
// on the wire without any hook in the product: latency, a half-open connection, and a kill of
// the process the moment it sends given bytes (see `arm`).

const randomBetween = (lowMs, highMs) => lowMs + Math.random() * (highMs - lowMs);

/**
 * One direction of a connection: chunks written in order, each after the current latency. A
 * chunk never overtakes the one before it, so the byte stream stays intact.
 */
function createPipe(target, latency) {
  let lastDueMs = 0;
  let pending = 0;
  return {
    send(chunk) {
      const range = latency();
      if (!range && pending === 0) return void target.write(chunk);
      const nowMs = performance.now();
      const dueMs = Math.max(lastDueMs, nowMs + (range ? randomBetween(range[0], range[1]) : 0));
      lastDueMs = dueMs;
      pending += 1;
      setTimeout(() => {
        pending -= 1;
        if (!target.destroyed) target.write(chunk);
      }, dueMs - nowMs);
    },
  };
}

/**
 * Listens on 127.0.0.1 (a free port) and forwards each connection to `upstreamPort`. `name` is
 * for messages. Controls:
 * - `setLatency([lowMs, highMs])` each way, `setLatency(null)` to stop;
 * - `freeze()`: stops forwarding and answering without closing anything, new connections
 *   included (they are accepted and then left silent), until `closeFrozen()` resets them all;
 * - `arm(onMatch)`: each connection has an inspector from its first byte (`createInspector`, a
 *   parser of the client's protocol that must see the whole stream to keep its framing) which
 *   sees the bytes the client sends before they are forwarded. Once armed, the first time one
 *   returns a description, those bytes are held back, `onMatch(description)` runs (it kills the
 *   client process), and every connection is reset. One shot: disarmed after it fires.
 */
export async function startTcpProxy({ name, upstreamPort, createInspector = () => null }) {
  const connections = new Set();
  let latencyRange = null;
  let frozen = false;
  let armed = null;
  const latency = () => latencyRange;

  const resetAll = () => {
    for (const c of connections) c.reset();
  };

  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const connection = { client, upstream: null, held: [], inspector: createInspector(), reset };
    connections.add(connection);
    let isReset = false;
    function reset() {
      if (isReset) return;
      isReset = true;
      connections.delete(connection);
      client.resetAndDestroy();
      if (connection.upstream && !connection.upstream.destroyed) connection.upstream.resetAndDestroy();
    }
    client.on("error", reset);
    client.on("close", reset);
    const dial = () => {
      const upstream = net.connect({ host: "127.0.0.1", port: upstreamPort });
      upstream.setNoDelay(true);
      connection.upstream = upstream;
      const down = createPipe(client, latency);
      const up = createPipe(upstream, latency);
      connection.forward = (chunk) => up.send(chunk);
      upstream.on("data", (chunk) => {
        if (!frozen) down.send(chunk);
      });
      upstream.on("error", reset);
      upstream.on("close", reset);
      for (const chunk of connection.held.splice(0)) connection.forward(chunk);
    };
    client.on("data", (chunk) => {
      if (frozen) return; // swallowed: the far end never sees it, the client never hears back
      const found = connection.inspector?.inspect(chunk);
      if (found && armed) {
        const { onMatch } = armed;
        armed = null;
        onMatch(found);
        resetAll();
        return;
      }
      if (connection.forward) connection.forward(chunk);
      else connection.held.push(chunk);
    });
    // A connection opened while frozen is accepted and left silent; `closeFrozen` resets it.
    if (!frozen) dial();
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    name,
    port,
    connectionCount: () => connections.size,
    setLatency(range) {
      latencyRange = range;
    },
    freeze() {
      frozen = true;
    },
    closeFrozen() {
      frozen = false;
      resetAll();
    },
    arm(onMatch) {
      armed = { onMatch };
    },
    disarm() {
      armed = null;
    },
    close: () =>
      new Promise((resolve) => {
        resetAll();
        server.close(() => resolve());
      }),
  };
}
