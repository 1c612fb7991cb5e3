import { pino, type Logger } from "pino";

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
export function createLogger(options: { level: string; name?: string; pretty?: boolean }): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY;
  return pino({
    level: options.level,
    ...(options.name ? { name: options.name } : {}),
    redact: {
      paths: [
        "req.headers.authorization",
        "headers.authorization",
        "headers.Authorization",
        "token",
        "apiToken",
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}
