import { createDb, createLogger } from "@hotbeat/shared";
import { EventEmitter } from "node:events";
import { createServer, Socket, type AddressInfo, type Server } from "node:net";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import { databaseServerUrl, waitFor } from "../../../test/helpers.js";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

/**
 * A loopback TCP proxy to PostgreSQL that can go half-open: while swallowing it reads every byte
 * from either side and passes none on, closing nothing, as a partition or a dropping middlebox
 * does. `reset` destroys every connection it carries and forwards again.
 */
interface HalfOpenProxy {
  port: number;
  swallow(): void;
  reset(): void;
}

async function startHalfOpenProxy(target: { host: string; port: number }): Promise<HalfOpenProxy> {
  let swallowing = false;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy()); // a reset by `reset` or by PostgreSQL ends the pair
  };
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    track(client);
    track(upstream);
    client.on("data", (chunk) => swallowing || upstream.write(chunk));
    upstream.on("data", (chunk) => swallowing || client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    upstream.connect(target.port, target.host);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  releaseAfterFile(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    port: (server.address() as AddressInfo).port,
    swallow: () => {
      swallowing = true;
    },
    reset: () => {
      for (const socket of sockets) socket.resetAndDestroy();
      swallowing = false;
    },
  };
}

let api: TestApi;
let proxy: HalfOpenProxy;
const logLines: string[] = [];
const logged = new EventEmitter();
const log = createLogger({
  level: "info",
  format: "json",
  destination: new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const line = chunk.toString("utf8");
      logLines.push(line);
      logged.emit("line", line);
      callback();
    },
  }),
});

beforeAll(async () => {
  const server = new URL(databaseServerUrl());
  proxy = await startHalfOpenProxy({ host: server.hostname, port: Number(server.port || 5432) });
  api = await createTestApi({
    databaseDeadlineMs: 300,
    log,
    connectDatabase: (database) => {
      const url = new URL(database.url);
      url.hostname = "127.0.0.1";
      url.port = String(proxy.port);
      return createDb(url.toString(), { max: 2, maxReconnectDelayMs: 200 });
    },
  });
}, 60_000);

describe("with the connection to PostgreSQL gone half-open", () => {
  it("answers a read and a write 503 with Retry-After, then serves again once the connections reset", async () => {
    const created = await api.app.inject({
      method: "POST",
      url: "/api/v1/schedules",
      payload: { name: "nightly", task: "log", cron: "0 2 * * *" },
    });
    expect(created.statusCode, created.body).toBe(201);

    proxy.swallow();
    const read = await api.app.inject({ method: "GET", url: "/api/v1/schedules/nightly" });
    expect(read.statusCode, read.body).toBe(503);
    expect(read.headers["retry-after"]).toBe("5");
    expect(bodyOf(read).error).toMatchObject({ code: "unavailable" });

    const write = await api.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/nightly",
      payload: { enabled: false },
    });
    expect(write.statusCode, write.body).toBe(503);
    expect(write.headers["retry-after"]).toBe("5");
    expect(bodyOf(write).error.code).toBe("unavailable");
    expect(bodyOf(write).error.message).toMatch(/may or may not have been saved/);

    proxy.reset();
    const again = await api.app.inject({ method: "GET", url: "/api/v1/schedules/nightly" });
    expect(again.statusCode, again.body).toBe(200);
    // As the 503 said, the PATCH may have been saved after all: postgres.js sends again, on a
    // new connection, a query that the reset connection had not yet sent. Its version tells.
    const { version, enabled } = bodyOf(again);
    expect(enabled).toBe(version === 1);
  }, 30_000);

  it("drops the late results of the requests it answered 503, without a second answer", async () => {
    // The reset failed or let through what the two handlers were waiting on.
    let late = logLines.filter((line) => line.includes("after the database deadline")).length;
    if (late < 2) {
      await waitFor<string>(
        (listener) => {
          logged.on("line", listener);
          return () => logged.off("line", listener);
        },
        (line) => line.includes("after the database deadline") && ++late >= 2,
      );
    }
    expect(logLines.join("")).not.toMatch(/already sent|Promise errored/);
  }, 30_000);
});
