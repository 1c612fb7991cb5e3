import { CronExpressionParser } from "cron-parser";
import { explainCronParserError, failCron } from "./cronErrors.js";
import { resolveHashedField } from "./cronHash.js";

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  /** Highest value `*` stands for (day of week accepts 7 but `*` stops at 6). */
  readonly max: number;
  /** What `H` may pick: day of month stops at 28 so that every month has the day. */
  readonly hashMax: number;
}

const FIELD_SPECS: readonly FieldSpec[] = [
  { label: "second", min: 0, max: 59, hashMax: 59 },
  { label: "minute", min: 0, max: 59, hashMax: 59 },
  { label: "hour", min: 0, max: 23, hashMax: 23 },
  { label: "day-of-month", min: 1, max: 31, hashMax: 28 },
  { label: "month", min: 1, max: 12, hashMax: 12 },
  { label: "day-of-week", min: 0, max: 6, hashMax: 6 },
];
const DAY_FIELDS = new Set(["day-of-month", "day-of-week"]);
/** What cron-parser reads in the fields a probe does not test. */
const PROBE_DEFAULTS = ["0", "*", "*", "*", "*", "*"];

/**
 * Checks hotbeat is stricter than cron-parser about: `?` outside the day fields, and steps.
 * `*\/90` in the minute field cannot mean "every 90 minutes"; refusing beats firing hourly.
 */
function checkWrittenField(text: string, originalText: string, spec: FieldSpec): void {
  const field = `${spec.label} \`${originalText}\``;
  if (text.includes("?") && !DAY_FIELDS.has(spec.label)) {
    failCron(`${field}: ? is only for day-of-month and day-of-week; write *`);
  }
  for (const item of originalText.split(",")) {
    const stepText = item.split("/")[1];
    if (stepText === undefined || /^h/i.test(item)) continue;
    if (!/^\d+$/.test(stepText)) failCron(`${field}: step "${stepText}" is not a number`);
    const step = Number(stepText);
    if (step < 1) failCron(`${field}: step ${step} must be at least 1`);
    if (step > spec.max - spec.min) {
      failCron(`${field}: step ${step} is larger than the field's range ${spec.min}-${spec.max}`);
    }
  }
}

/** One field as cron-parser expands it: numbers, and `L`/`5L` strings in the day fields. */
export interface ExpandedField {
  readonly values: readonly (number | string)[];
  /** The k of `n#k` in day-of-week, else 0. */
  readonly nthDay: number;
}

const FIELD_KEYS = ["second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek"] as const;

/** cron-parser's expansion of `text` at field `index`, the other fields left at their defaults. */
function expandWithCronParser(index: number, text: string): ExpandedField {
  const probe = PROBE_DEFAULTS.map((value, at) => (at === index ? text : value));
  const fields = CronExpressionParser.parse(probe.join(" ")).fields;
  return { values: fields[FIELD_KEYS[index]!].values, nthDay: fields.dayOfWeek.nthDay };
}

/**
 * Expands one field with cron-parser. Each field is read on its own: cron-parser rejects a day
 * that no month named has (`0 0 31 2 *`), which hotbeat allows (such a schedule never fires), and an error
 * then names the field at fault. A list that repeats a value (`1-5,3`, `0,7`), which cron-parser
 * refuses, is read item by item and merged, as every cron does.
 */
function expandField(index: number, text: string, writtenText: string): ExpandedField {
  try {
    return expandWithCronParser(index, text);
  } catch (error) {
    const label = FIELD_SPECS[index]!.label;
    if (!(error instanceof Error && /duplicate values/.test(error.message))) {
      failCron(explainCronParserError(label, writtenText, error));
    }
    const items = text.split(",").map((item) => expandField(index, item, writtenText));
    return { values: [...new Set(items.flatMap((item) => item.values))], nthDay: 0 };
  }
}

export type ExpandedFields = [
  ExpandedField,
  ExpandedField,
  ExpandedField,
  ExpandedField,
  ExpandedField,
  ExpandedField,
];

/**
 * Field texts already expanded, per field: a scheduler loading a million schedules sees a few
 * thousand distinct field texts (`30`, `*`, `1-5`) in as many distinct expressions, and
 * cron-parser spends tens of microseconds on each parse. Reading a field alone gives what reading
 * it with the others does (see {@link expandField}), so the expansion of a field text is the same
 * in every expression. Bounded for processes that run for years; only successes are kept.
 */
const expandedFieldCache = FIELD_KEYS.map(() => new Map<string, ExpandedField>());
const EXPANDED_FIELD_CACHE_SIZE = 20_000;

function expandFieldCached(index: number, text: string, writtenText: string): ExpandedField {
  const cache = expandedFieldCache[index]!;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const expanded = expandField(index, text, writtenText);
  if (cache.size >= EXPANDED_FIELD_CACHE_SIZE) cache.clear();
  cache.set(text, expanded);
  return expanded;
}

/** Field texts that passed {@link checkWrittenField}, per field: the check depends on nothing else. */
const checkedFields = FIELD_KEYS.map(() => new Set<string>());

function checkWrittenFieldOnce(index: number, text: string, originalText: string, spec: FieldSpec): void {
  const checked = checkedFields[index]!;
  const key = text === originalText ? text : `${text}\u0000${originalText}`;
  if (checked.has(key)) return;
  checkWrittenField(text, originalText, spec);
  if (checked.size >= EXPANDED_FIELD_CACHE_SIZE) checked.clear();
  checked.add(key);
}

/**
 * All six fields, each read on its own (see {@link expandField}) through a cache of field texts;
 * an error names the first field at fault, seconds first.
 */
function expandFields(plain: readonly string[], original: readonly string[]): ExpandedFields {
  return plain.map((text, index) => expandFieldCached(index, text, original[index]!)) as ExpandedFields;
}

/**
 * The six fields (seconds first, upper-cased) with `H` resolved from `name`, checked, and
 * expanded by cron-parser. `original` is the fields as written, for messages.
 */
export function expandCronFields(
  written: readonly string[],
  original: readonly string[],
  name: string,
): ExpandedFields {
  const plain = written.map((text, index) => {
    const spec = FIELD_SPECS[index]!;
    checkWrittenFieldOnce(index, text, original[index]!, spec);
    return resolveHashedField(text, { label: spec.label, min: spec.min, max: spec.hashMax }, name);
  });
  return expandFields(plain, original);
}
