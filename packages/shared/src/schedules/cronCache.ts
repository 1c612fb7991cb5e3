import type { ParsedCron } from "./cron.js";

/**
 * Parses once per expression: fire times are computed many times a second from the same few
 * expressions, and a parse (cron-parser's expansion, hotbeat's checks) costs a few microseconds.
 * Two generations, each up to PARSED_CACHE_SIZE: when the recent one is full it becomes the
 * older one and the oldest is dropped whole, so an expression in use stays (it is carried over
 * on its next read). Evicting one entry at a time from the front of a Map instead costs a walk
 * over every entry deleted before it, which made a load of a million schedules quadratic.
 */
let recentlyParsed = new Map<string, ParsedCron>();
let parsedBefore = new Map<string, ParsedCron>();
const PARSED_CACHE_SIZE = 2_500;
/** Per generation while a load holds the cache (see holdParsedCrons): some 32 MB at most for both. */
const LOADING_CACHE_SIZE = 50_000;
let holds = 0;

/**
 * Widens the parse cache until the returned function is called: a full load computes one fire
 * per schedule, and a million schedules spread over tens of thousands of expressions missed a
 * cache of 2,500 on nearly every row, parsing each expression again (seconds of CPU at 1M).
 * Released, the cache is emptied and back to its size, so that what the load parsed does not
 * stay in memory for good.
 */
export function holdParsedCrons(): () => void {
  holds += 1;
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    holds -= 1;
    if (holds > 0) return;
    recentlyParsed = new Map();
    parsedBefore = new Map();
  };
}

/**
 * The parsed cron under `key`, from the cache, or `parse(expression, name)` kept under it. The
 * arguments are passed through rather than closed over: this runs for every fire computed.
 */
export function parseOnce(
  key: string,
  parse: (expression: string, name: string) => ParsedCron,
  expression: string,
  name: string,
): ParsedCron {
  let parsed = recentlyParsed.get(key);
  if (parsed !== undefined) return parsed;
  parsed = parsedBefore.get(key) ?? parse(expression, name);
  if (recentlyParsed.size >= (holds > 0 ? LOADING_CACHE_SIZE : PARSED_CACHE_SIZE)) {
    parsedBefore = recentlyParsed;
    recentlyParsed = new Map();
  }
  recentlyParsed.set(key, parsed);
  return parsed;
}
