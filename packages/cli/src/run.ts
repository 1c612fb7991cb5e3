import { userInfo } from "node:os";
import { formatCommandHelp, formatGeneralHelp, parseCommandLine } from "./args.js";
import { COMMANDS } from "./commands/index.js";
import type { CommandContext, Io } from "./context.js";
import {
  ApiError,
  ApiUnreachable,
  EXIT_OK,
  EXIT_REFUSED,
  EXIT_UNREACHABLE,
  EXIT_USAGE,
  UsageError,
} from "./errors.js";
import { formatRefusal } from "./format.js";
import { createApiClient } from "./http.js";

export const DEFAULT_URL = "http://127.0.0.1:3000";

/**
 * Runs one command line and returns its exit code: 0 done, 1 refused by the API, 2 usage error,
 * 3 API unreachable. Reads only the `env` it is given and writes only to `io`, so tests run it
 * in-process.
 */
export async function main(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  let command: string | undefined;
  let baseUrl = env.HOTBEAT_URL || DEFAULT_URL;
  try {
    const line = parseCommandLine(argv, COMMANDS);
    command = line.command;
    const spec = COMMANDS.find((c) => c.name === line.command);
    if (spec === undefined) {
      if (line.help) {
        io.stdout.write(formatGeneralHelp(COMMANDS));
        return EXIT_OK;
      }
      io.stderr.write(formatGeneralHelp(COMMANDS));
      return EXIT_USAGE;
    }
    if (line.help) {
      io.stdout.write(formatCommandHelp(spec));
      return EXIT_OK;
    }
    baseUrl = line.url ?? baseUrl;
    if (!/^https?:\/\/[^/]/.test(baseUrl))
      throw new UsageError(
        `the API address "${redactUserInfo(baseUrl)}" is not an http(s) URL (HOTBEAT_URL or --url)`,
      );
    if (redactUserInfo(baseUrl) !== baseUrl)
      throw new UsageError(
        `the API address "${redactUserInfo(baseUrl)}" carries credentials; give the address alone and the token in HOTBEAT_API_TOKEN`,
      );
    const client = createApiClient({
      baseUrl,
      token: env.HOTBEAT_API_TOKEN || undefined,
      actor: readActor(env),
    });
    const ctx: CommandContext = {
      client,
      json: line.json,
      out: (text) => io.stdout.write(text),
      err: (text) => io.stderr.write(text),
      printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    };
    return (await spec.run(ctx, { positionals: line.positionals, values: line.values })) ?? EXIT_OK;
  } catch (error) {
    return reportError(error, io, command, redactUserInfo(baseUrl));
  }
}

function reportError(error: unknown, io: Io, command: string | undefined, baseUrl: string): number {
  if (error instanceof UsageError) {
    const which = error.command ?? command;
    io.stderr.write(
      `error: ${error.message}\n${which ? `Run hotbeat ${which} --help for its options.\n` : ""}`,
    );
    return EXIT_USAGE;
  }
  if (error instanceof ApiError) {
    io.stderr.write(formatRefusal(error.message, error.details));
    if (error.status === 401) io.stderr.write("Set HOTBEAT_API_TOKEN to the API's token.\n");
    if (error.status === 412)
      io.stderr.write(
        "The schedule changed meanwhile; look at it again (hotbeat get, hotbeat history) and retry.\n",
      );
    return EXIT_REFUSED;
  }
  if (error instanceof ApiUnreachable) {
    const cause =
      error.cause instanceof Error
        ? error.cause.cause instanceof Error
          ? error.cause.cause.message
          : error.cause.message
        : "";
    io.stderr.write(
      `error: cannot reach the hotbeat API at ${baseUrl}${cause ? ` (${cause})` : ""}.\nIs it running? Set HOTBEAT_URL to its address.\n`,
    );
    return EXIT_UNREACHABLE;
  }
  throw error;
}

/**
 * The address with any `user:password@` replaced by `***@`: messages go to terminals and CI logs,
 * and fetch refuses such a URL anyway with an error that repeats it whole.
 */
export function redactUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@");
}

/** Who makes the change, for the history: the OS user name. */
function readActor(env: Record<string, string | undefined>): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? "cli";
  }
}
