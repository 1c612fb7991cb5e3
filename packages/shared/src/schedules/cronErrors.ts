import { InvalidSchedule } from "../errors.js";

/** Throws the one error every cron problem becomes: InvalidSchedule on field "cron". */
export function failCron(message: string): never {
  throw new InvalidSchedule([{ field: "cron", message }]);
}

/** One cron-parser message shape and the words hotbeat says instead. */
interface Translation {
  readonly pattern: RegExp;
  readonly explain: (match: RegExpExecArray, label: string) => string;
}

const NAME_KINDS: Readonly<Record<string, string>> = {
  month: "a month name",
  "day-of-week": "a weekday name",
};

// cron-parser's messages name neither the field nor the text as written; these patterns follow
// the messages of the cron-parser version in package.json, and anything unknown is passed on.
const TRANSLATIONS: readonly Translation[] = [
  {
    pattern: /got value (\S+) expected range (\d+)-(\d+) or chars L/,
    explain: (m) => `${m[1]} is not a day: use 1-${m[3]}, L, L-n, nW or LW`,
  },
  { pattern: /got value (\S+) expected range (\d+-\d+)/, explain: (m) => `${m[1]} is out of range ${m[2]}` },
  {
    pattern: /got range \S*NaN\S* expected/,
    explain: (_m, label) =>
      label === "day-of-week" ? "not a range of weekdays (5L takes one)" : "not a range",
  },
  {
    pattern: /got range (\S+) expected range (\d+-\d+)/,
    explain: (m) => `range ${m[1]} is out of range ${m[2]}`,
  },
  { pattern: /Invalid range: (\d+-\d+), min/, explain: (m) => `range ${m[1]} goes backwards` },
  { pattern: /Invalid range/, explain: () => "not a range" },
  {
    pattern: /cannot resolve alias "(\w+)"/,
    explain: (m, label) => `"${m[1]}" is not ${NAME_KINDS[label] ?? "a name"}`,
  },
  {
    pattern: /Invalid characters/,
    explain: (_m, label) => (NAME_KINDS[label] ? "not a number or a name" : "not a number"),
  },
  { pattern: /Invalid list value format/, explain: () => "an empty list item" },
  { pattern: /Invalid repeat/, explain: () => "more than one step" },
  { pattern: /occurrence number/, explain: () => "the occurrence after # must be 1-5" },
  {
    pattern: /`#` and `(.)` special characters are incompatible/,
    explain: (m) => `# takes one weekday and one occurrence (5#2), not "${m[1]}"`,
  },
  {
    pattern: /standalone L/,
    explain: () => "L alone is not a weekday: write 5L for the last Friday, or L in day-of-month",
  },
];

/**
 * Words for a cron-parser error about one field: `day-of-week \`8#2\`: weekday must be 0-7`.
 * `text` is the field as written; the message names it so a user sees which part to fix.
 */
export function explainCronParserError(label: string, text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const problem =
    label === "day-of-week" && text.includes("#") && /expected range/.test(message)
      ? "weekday must be 0-7"
      : TRANSLATIONS.reduce<string | null>((found, translation) => {
          if (found !== null) return found;
          const match = translation.pattern.exec(message);
          return match ? translation.explain(match, label) : null;
        }, null);
  return `${label} \`${text}\`: ${problem ?? message}`;
}
