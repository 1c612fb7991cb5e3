import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { releaseAfterFile } from "../../../test/fileTeardown.js";

/** A local HTTP server that counts TCP connections and keeps every request it answered. */
export interface TestServer {
  url: string;
  port: number;
  connections: number;
  requests: Array<{
    method: string;
    url: string;
    headers: IncomingMessage["headers"];
    body: string;
    at: number;
  }>;
  handle(handler: (req: IncomingMessage, res: ServerResponse, index: number) => void): void;
}

/** Starts a server on `host` (127.0.0.1 unless told), closed after the file. */
export async function startTestServer(host = "127.0.0.1"): Promise<TestServer> {
  let handler: (req: IncomingMessage, res: ServerResponse, index: number) => void = (_req, res) =>
    res.end("ok");
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const index = state.requests.length;
      state.requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      handler(req, res, index);
    });
  });
  server.on("connection", () => state.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const state: TestServer = {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    connections: 0,
    requests: [],
    handle(next) {
      handler = next;
    },
  };
  releaseAfterFile(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return state;
}
