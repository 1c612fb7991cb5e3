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
/** Per generation while a load holds the cache (see holdParsedCrons): some 16 MB at most. */
const LOADING_CACHE_SIZE = 50_000;
let cacheSize = PARSED_CACHE_SIZE;
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
  cacheSize = LOADING_CACHE_SIZE;
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    holds -= 1;
    if (holds > 0) return;
    cacheSize = PARSED_CACHE_SIZE;
    recentlyParsed = new Map();
    parsedBefore = new Map();
  };
}

/** The parsed cron under `key`, from the cache, or `parse()`d and kept. */
export function parseOnce(key: string, parse: () => ParsedCron): ParsedCron {
  let parsed = recentlyParsed.get(key);
  if (parsed !== undefined) return parsed;
  parsed = parsedBefore.get(key) ?? parse();
  if (recentlyParsed.size >= cacheSize) {
    parsedBefore = recentlyParsed;
    recentlyParsed = new Map();
  }
  recentlyParsed.set(key, parsed);
  return parsed;
}
