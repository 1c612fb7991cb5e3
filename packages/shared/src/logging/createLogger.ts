import { pino, type DestinationStream, type Logger } from "pino";
import { build as buildPrettyStream } from "pino-pretty";
import { redactSecrets, serializeError } from "./redactSecrets.js";

export type { Logger };

/** How log lines are written: one JSON object a line, or pino-pretty's coloured text. */
export type LogFormat = "pretty" | "json";

/** Strips the password from a connection URL so it can be logged. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "<unparseable url>";
  }
}

/**
 * The format a process logs in: the forced one when `LOG_FORMAT` is set, else pretty for a person
 * at a terminal and JSON for a collector reading a pipe or a file.
 */
export function chooseLogFormat(forced: LogFormat | undefined, isTerminal: boolean): LogFormat {
  return forced ?? (isTerminal ? "pretty" : "json");
}

/**
 * The root logger of every hotbeat process. Credentials never reach the output: authorization
 * headers and tokens are redacted by path, every logged object and error is cleaned by
 * {@link redactSecrets} and {@link serializeError}.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  /** Forced by `LOG_FORMAT`; unset, pretty when stdout is a terminal. */
  format?: LogFormat;
  /** Where lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}): Logger {
  const format = chooseLogFormat(options.format, !options.destination && process.stdout.isTTY);
  const settings: pino.LoggerOptions<never> = {
    level: options.level,
    serializers: { err: serializeError, error: serializeError },
    // Credentials can sit anywhere in a logged object (a payload's headers, a URL); paths below
    // only catch the places known in advance.
    formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    ...(options.name ? { name: options.name } : {}),
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "headers.authorization",
        "headers.cookie",
        "headers.Authorization",
        "token",
        "apiToken",
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
  };
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  if (format === "json") return pino(settings, destination);
  // In process rather than as a transport thread: lines logged just before an exit are not lost.
  const pretty = buildPrettyStream({
    destination,
    colorize: !options.destination && process.stdout.isTTY,
    sync: true,
  });
  return pino(settings, pretty);
}
