import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import postgres from "postgres";
import { inject } from "vitest";
import { createDb, type DbHandle } from "../packages/shared/src/db/client.js";
import { createLogger, type Logger } from "../packages/shared/src/logging/createLogger.js";
import { releaseAfterFile } from "./fileTeardown.js";
import { withDatabase } from "./globalSetup.js";
import { testDatabasePrefix } from "./runScope.js";

export const databaseServerUrl = (): string => inject("databaseUrl");
export const redisUrl = (): string => inject("redisUrl");

/** A unique token for names, key prefixes and BullMQ prefixes of one test. */
export function uniqueId(prefix = "t"): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

/** A silent logger for components under test (LOG_LEVEL=debug to see it). */
export function testLogger(): Logger {
  return createLogger({ level: process.env.LOG_LEVEL ?? "silent", format: "json" });
}

export interface TestDatabase extends DbHandle {
  url: string;
  name: string;
}

/**
 * A fresh database cloned from the migrated template, dropped after the file (and, should the file
 * never get there, by the run's teardown, which knows it by the run's prefix). Cloning takes a few
 * milliseconds, where migrating would take a second.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueId(testDatabasePrefix(inject("testRunId")));
  const admin = postgres(withDatabase(databaseServerUrl(), "postgres"), {
    max: 1,
    onnotice: () => undefined,
  });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(databaseServerUrl(), name);
  const handle = createDb(url, { max: 5, applicationName: "hotbeat-test" });
  releaseAfterFile(async () => {
    await handle.close();
    const dropper = postgres(withDatabase(databaseServerUrl(), "postgres"), {
      max: 1,
      onnotice: () => undefined,
    });
    try {
      await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  });
  return { ...handle, url, name };
}

/** A Redis client closed after the file. */
export function createTestRedis(options: { lazyConnect?: boolean } = {}): Redis {
  const client = new Redis(redisUrl(), {
    maxRetriesPerRequest: null,
    lazyConnect: options.lazyConnect ?? false,
  });
  releaseAfterFile(() => client.disconnect());
  return client;
}

/** Resolves with the first value `check` returns that is not undefined, polling an event source. */
export function waitFor<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  predicate: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`waited ${timeoutMs} ms for an event that did not come`));
    }, timeoutMs);
    const unsubscribe = subscribe((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}
