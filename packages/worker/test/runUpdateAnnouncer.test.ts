import { randomUUID } from "node:crypto";
import { parseRunUpdate, runUpdatesChannel } from "@hotbeat/shared";
import { describe, expect, it } from "vitest";
import { createRunUpdateAnnouncer } from "../src/runUpdateAnnouncer.js";
import { createTestRedis, testLogger, uniqueId } from "../../../test/helpers.js";

describe("the run-updates announcer", () => {
  it("announces every run of one turn once, in as few messages as their number allows", async () => {
    const namespace = uniqueId("announce-");
    const subscriber = createTestRedis();
    const publisher = createTestRedis();
    const messages: string[][] = [];
    const runIds = Array.from({ length: 1200 }, () => randomUUID());
    const allHeard = new Promise<void>((resolve) => {
      subscriber.on("message", (_channel: string, raw: string) => {
        messages.push(parseRunUpdate(raw)?.runIds ?? []);
        if (messages.flat().length >= runIds.length) resolve();
      });
    });
    await subscriber.subscribe(runUpdatesChannel(namespace));
    const announce = createRunUpdateAnnouncer(publisher, namespace, testLogger());
    for (const runId of runIds) announce(runId);
    // A second transition of a run in the same turn rides in the same message.
    announce(runIds[0]!);
    await allHeard;
    expect(messages.map((ids) => ids.length)).toEqual([500, 500, 200]);
    expect(new Set(messages.flat())).toEqual(new Set(runIds));
  });
});
