import { createServer, type AddressInfo, type Socket } from "node:net";
import { Writable } from "node:stream";
import { createLogger, loadConfig } from "@hotbeat/shared";
import { describe, expect, it } from "vitest";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import { redisUrl, uniqueId } from "../../../test/helpers.js";
import { startWorker } from "../src/index.js";

/** A "PostgreSQL" that accepts connections and never says a word. */
async function startSilentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  releaseAfterFile(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

describe("a worker starting while PostgreSQL does not answer", () => {
  it("starts all the same once opening its pool ahead has taken too long, and says so", async () => {
    const port = await startSilentServer();
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const worker = await startWorker(
      loadConfig({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/silent`,
        REDIS_URL: redisUrl(),
        HOTBEAT_REDIS_NAMESPACE: uniqueId("ns"),
      }),
      createLogger({ level: "info", format: "json", destination }),
    );
    expect(lines.join("")).toMatch(/could not open the PostgreSQL pool ahead of the first runs/);
    expect(lines.join("")).toMatch(/worker started/);
    await worker.close({ graceMs: 0 });
  }, 20_000);
});
