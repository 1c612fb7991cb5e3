import { pino, type DestinationStream, type Logger } from "pino";
import { redactSecrets, serializeError } from "./redactSecrets.js";

export type { Logger };

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
 * The root logger. Credentials never reach the output: authorization headers and tokens are
 * redacted by path. Pretty output only when writing to a terminal.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  pretty?: boolean;
  /** Where lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}): Logger {
  const pretty = options.destination ? false : (options.pretty ?? process.stdout.isTTY);
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
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
