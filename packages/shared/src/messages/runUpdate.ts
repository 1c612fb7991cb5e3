import { parseJsonWith } from "../support/parseJsonWith.js";
import { z } from "zod";
import { runUpdatesChannel } from "./names.js";

/**
 * The message on the run-updates channel: which runs changed. The rows in PostgreSQL are the
 * truth; a listener reads them, so a message never has to say what the status became.
 */
export const runUpdateMessageSchema = z.strictObject({
  runIds: z.array(z.uuid()).min(1),
});
export type RunUpdateMessage = z.infer<typeof runUpdateMessageSchema>;

/** What publishing needs of a Redis client. */
export interface RunUpdatePublisher {
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * Announces that runs changed. Best effort by design: a lost message only delays a live view,
 * which reads the runs again when it reconnects; nothing that fires or runs depends on it.
 */
export async function publishRunUpdates(
  publisher: RunUpdatePublisher,
  namespace: string,
  runIds: readonly string[],
): Promise<void> {
  if (runIds.length === 0) return;
  const message: RunUpdateMessage = { runIds: [...runIds] };
  await publisher.publish(runUpdatesChannel(namespace), JSON.stringify(message));
}

/** Parses a raw channel message; undefined (never throws) for anything malformed. */
export function parseRunUpdate(raw: string): RunUpdateMessage | undefined {
  return parseJsonWith(runUpdateMessageSchema, raw);
}
