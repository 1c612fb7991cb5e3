import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
/** Parsed options; an option declared `multiple` gives a list. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command accepts; the table every command file exports one row of. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** The usage line after `hotbeat `, e.g. `next NAME [-n COUNT]`. */
  usage: string;
  /** One line per option, shown by --help. */
  optionHelp?: string[];
  options?: OptionsConfig;
  positionals: { min: number; max: number };
  examples?: string[];
}

export const GLOBAL_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  url: { type: "string" },
} as const satisfies OptionsConfig;

export interface ParsedCommandLine {
  command: string | undefined;
  positionals: string[];
  values: OptionValues;
  help: boolean;
  json: boolean;
  url: string | undefined;
}

/**
 * Splits argv into a command, its positionals and its options. Global options (`--json`,
 * `--help`, `--url`) may stand anywhere. `hotbeat help set` is `hotbeat set --help`.
 * @throws UsageError for an unknown command or option, a missing value, or too many arguments.
 */
export function parseCommandLine(argv: string[], specs: readonly CommandSpec[]): ParsedCommandLine {
  const commandIndex = findCommandIndex(argv);
  let name = commandIndex === -1 ? undefined : argv[commandIndex];
  let rest = commandIndex === -1 ? argv : [...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)];
  let forcedHelp = false;
  if (name === "help") {
    forcedHelp = true;
    const target = findCommandIndex(rest);
    name = target === -1 ? undefined : rest[target];
    rest = target === -1 ? rest : [...rest.slice(0, target), ...rest.slice(target + 1)];
  }
  const spec = name === undefined ? undefined : specs.find((s) => s.name === name);
  if (name !== undefined && spec === undefined) {
    throw new UsageError(`unknown command "${name}"; run hotbeat --help for the list`);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...spec?.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(cleanParseError(error), name);
  }
  const values = parsed.values as OptionValues;
  const help = forcedHelp || values.help === true;
  const positionals = parsed.positionals;
  if (spec && !help) {
    if (positionals.length < spec.positionals.min) {
      throw new UsageError(`missing argument; usage: hotbeat ${spec.usage}`, spec.name);
    }
    if (positionals.length > spec.positionals.max) {
      throw new UsageError(
        `unexpected argument "${positionals[spec.positionals.max]}"; usage: hotbeat ${spec.usage}`,
        spec.name,
      );
    }
  }
  return {
    command: name,
    positionals,
    values,
    help,
    json: values.json === true,
    url: typeof values.url === "string" ? values.url : undefined,
  };
}

/** The first argument that is neither an option nor the value of `--url`. */
function findCommandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--url") {
      i++;
      continue;
    }
    if (arg === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (!arg.startsWith("-")) return i;
  }
  return -1;
}

function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\. To specify a positional argument.*$/s, "")
    .replace(/^Unknown option/, "unknown option");
}

/** Renders `hotbeat CMD --help`. */
export function formatCommandHelp(spec: CommandSpec): string {
  const lines = [`Usage: hotbeat ${spec.usage}`, "", spec.summary];
  if (spec.optionHelp?.length) lines.push("", "Options:", ...spec.optionHelp.map((l) => `  ${l}`));
  lines.push(
    "",
    "Global options:",
    "  --json        print machine-readable JSON",
    "  --url URL     the API (default: $HOTBEAT_URL or http://127.0.0.1:3000)",
    "  -h, --help    show this help",
  );
  if (spec.examples?.length) lines.push("", "Examples:", ...spec.examples.map((l) => `  ${l}`));
  return `${lines.join("\n")}\n`;
}

/** Renders `hotbeat --help`. */
export function formatGeneralHelp(specs: readonly CommandSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length));
  return [
    "hotbeat: manage the schedules of a hotbeat API.",
    "",
    "Usage: hotbeat COMMAND [options]",
    "",
    "Commands:",
    ...specs.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    "",
    "Environment: HOTBEAT_URL (default http://127.0.0.1:3000), HOTBEAT_API_TOKEN.",
    "Exit codes: 0 done, 1 refused by the API, 2 usage error, 3 API unreachable.",
    "Run hotbeat COMMAND --help for a command's options.",
    "",
  ].join("\n");
}
