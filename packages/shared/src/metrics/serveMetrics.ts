import { createServer, type Server } from "node:http";
import type { Logger } from "../logging/createLogger.js";
import { METRICS_CONTENT_TYPE } from "./metricsRegistry.js";

/**
 * A bare HTTP server answering `GET /metrics` with `render()`'s Prometheus text, for a role run on
 * its own (a scheduler, a worker) that has no API to serve it; 404 for any other path.
 */
export function serveMetrics(options: {
  render: () => Promise<string>;
  host: string;
  port: number;
  log: Logger;
}): Server {
  const { render, host, port, log } = options;
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    render().then(
      (text) => res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(text),
      (error: unknown) => {
        log.error({ err: error }, "metrics could not be rendered");
        res.writeHead(500).end();
      },
    );
  });
  server.listen(port, host, () => log.info({ host, port }, "metrics listening"));
  return server;
}
