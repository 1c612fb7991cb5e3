import { failCron } from "./cronErrors.js";

/** The values an `H` may take in one field, and the field's name for messages. */
export interface HashBounds {
  readonly label: string;
  readonly min: number;
  readonly max: number;
}

const HASH_ITEM = /^H(?:\((\d+)-(\d+)\))?(?:\/(\d+))?$/;

/**
 * A 32-bit hash of a string: FNV-1a over its UTF-16 code units, then murmur3's finalizer so that
 * names differing in one character land far apart. Frozen: changing it would move the fire
 * time of every schedule written with `H`, which hotbeat promises never happens.
 */
export function hashCronSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < seed.length; index++) {
    hash ^= seed.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** One `H`, `H(a-b)`, `H/n` or `H(a-b)/n` item as the plain values it stands for, "7,22". */
function resolveHashItem(item: string, bounds: HashBounds, hash: number): string {
  const match = HASH_ITEM.exec(item);
  if (match === null) {
    failCron(`${bounds.label} \`${item}\`: write H, H(0-29), H/15 or H(0-29)/15`);
  }
  const [, lowText, highText, stepText] = match;
  const low = lowText === undefined ? bounds.min : Number(lowText);
  const high = highText === undefined ? bounds.max : Number(highText);
  if (low < bounds.min || high > bounds.max) {
    failCron(`${bounds.label} \`${item}\`: the range must lie within ${bounds.min}-${bounds.max}`);
  }
  if (low > high) failCron(`${bounds.label} \`${item}\`: range ${low}-${high} goes backwards`);
  if (stepText === undefined) return String(low + (hash % (high - low + 1)));
  const step = Number(stepText);
  if (step < 1 || step > high - low) {
    failCron(`${bounds.label} \`${item}\`: step ${step} must be 1-${high - low} to fit ${low}-${high}`);
  }
  const values: number[] = [];
  for (let value = low + (hash % step); value <= high; value += step) values.push(value);
  return values.join(",");
}

/**
 * Replaces every `H` item of a field with values derived from the schedule's name (Jenkins'
 * meaning): `H` one value in the field's range, `H(0-29)` one in that range, `H/15` and
 * `H(0-29)/15` a step starting at a hashed offset below the step. The same name always gives
 * the same values, and each field hashes differently, so `H H * * *` is not "03:03".
 * Items without H are returned as written.
 */
export function resolveHashedField(text: string, bounds: HashBounds, name: string): string {
  if (!text.includes("H")) return text;
  const hash = hashCronSeed(`${name}\u0000${bounds.label}`);
  return text
    .split(",")
    .map((item) => (item.includes("H") ? resolveHashItem(item, bounds, hash) : item))
    .join(",");
}
