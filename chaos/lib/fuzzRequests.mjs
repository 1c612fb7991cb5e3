/** A small seeded generator (mulberry32), so a failing fuzz run can be replayed by its seed. */
export function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

// A payload nested 5,000 deep, spliced in as text: JSON.stringify would recurse that deep.
const NESTED = "__nested_5000_deep__";
const NESTED_JSON = `${'{"a":['.repeat(2500)}1${"]}".repeat(2500)}`;
const HOSTILE_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\u0007\u001b[31m",
  "\r\n",
  "\u202e",
  "𝕳",
  "%00",
  "' OR 1=1 --",
  "${jndi:x}",
  "../../etc/passwd",
];

/** One change to an otherwise valid schedule body that must make it invalid. */
function hostileMutations(r) {
  const s = () => r.pick(HOSTILE_STRINGS);
  return [
    (b) => ({ ...b, name: `Bad Name ${r.int(1e6)}` }),
    (b) => ({ ...b, name: 12345 }),
    (b) => ({ ...b, name: `fz${s()}${r.int(1e6)}` }),
    (b) => ({ ...b, cron: "61 * * * *" }),
    (b) => ({ ...b, cron: `* * * * * ${s()}` }),
    (b) => ({ ...b, cron: "x".repeat(100_000) }),
    (b) => ({ ...b, cron: ["* * * * *"] }),
    (b) => ({ ...b, timezone: r.pick(["Mars/Base", "", s(), 7]) }),
    (b) => ({ ...b, intervalSeconds: r.pick([0, -1, 1.5, "5", 1e300, null, true]), cron: undefined }),
    (b) => ({ ...b, intervalSeconds: 5 }),
    (b) => ({ ...b, description: `d${s()}` }),
    (b) => ({ ...b, description: "d".repeat(1_000_000) }),
    (b) => ({ ...b, payload: NESTED }),
    (b) => ({ ...b, payload: { [`k${s()}`]: "v" } }),
    (b) => ({ ...b, payload: { k: `v${s()}` } }),
    (b) => ({ ...b, payload: { big: "p".repeat(70 * 1024) } }),
    (b) => ({ ...b, payload: r.pick(["x", 1, [], null]) }),
    (b) => ({
      ...b,
      runAt: r.pick(["0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59", "tomorrow", s()]),
      cron: undefined,
    }),
    (b) => ({ ...b, startAt: r.pick(["-infinity", "10000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", 0]) }),
    (b) => ({ ...b, misfirePolicy: r.pick(["sometimes", "", 1, null]) }),
    (b) => ({ ...b, misfireGraceSeconds: r.pick([-1, "60", 1.5, 1e309]) }),
    (b) => ({ ...b, jitterSeconds: r.pick([-5, "x", {}]) }),
    (b) => ({ ...b, enabled: r.pick(["yes", 1, null]) }),
    (b) => ({ ...b, labels: r.pick([{ "Bad Key!": "v" }, { k: 1 }, { k: `v${s()}` }, "x"]) }),
    (b) => ({ ...b, exclude: r.pick([["not-a-date"], "2027-01-01", [1]]) }),
    (b) => ({ ...b, overlapPolicy: "maybe" }),
    (b) => ({ ...b, task: r.pick(["", 5, `t${s()}`]) }),
    (b) => ({ ...b, [`unknown${r.int(100)}`]: 1 }),
    (b) => ({ ...b, ["__proto__"]: { polluted: true }, constructor: { prototype: { x: 1 } } }),
  ];
}

const MALFORMED = [
  '{"name":',
  "{",
  "[",
  "nul",
  '{"a":1,}',
  "\u0000",
  '{"a":NaN}',
  "\ufeff{}",
  '{"a":"\\ud800"}',
  '{"a":1}{"b":2}',
  "x".repeat(300_000),
];

/**
 * Generates one hostile request: a mutated body on a write route, malformed JSON, a random path
 * or method, odd headers. Writes target names that do not exist or the fuzz's own disabled
 * targets, so an accepted request never touches what the oracle counts.
 */
export function generateRequest(r, targets) {
  const base = { name: `fz-${r.int(1e9)}`, task: "log", cron: "0 3 1 1 *" };
  const body = () => JSON.stringify(r.pick(hostileMutations(r))(base)).replace(`"${NESTED}"`, NESTED_JSON);
  const target = r.pick(targets);
  const encodedJunk = r.pick([
    "a%00b",
    "%ff%fe",
    "..%2f..%2f",
    "%ud800",
    "x".repeat(3000),
    "%E2%80%AE",
    "fz%0d%0a",
  ]);
  const kinds = [
    () => ({ method: "POST", path: "/api/v1/schedules", body: body() }),
    () => ({
      method: "PATCH",
      path: `/api/v1/schedules/${target}`,
      body: JSON.stringify(patchOf(r, target)).replace(`"${NESTED}"`, NESTED_JSON),
    }),
    () => ({
      method: r.pick(["POST", "PATCH", "PUT"]),
      path: r.pick(["/api/v1/schedules", `/api/v1/schedules/${target}`, "/api/v1/import", "/api/v1/preview"]),
      body: r.pick(MALFORMED),
    }),
    () => ({
      method: "POST",
      path: r.pick(["/api/v1/import", "/api/v1/import?dryRun=true"]),
      body: r.pick([`{"schedules":[${body()}]}`, `[${body()}]`, '{"schedules":"x"}']),
    }),
    () => ({ method: "POST", path: "/api/v1/preview", body: body() }),
    () => ({
      method: "POST",
      path: `/api/v1/schedules/${target}/backfill`,
      body: JSON.stringify(
        r.pick([
          { from: "x", to: "y" },
          { from: "2026-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" },
          { from: "0000-01-01T00:00:00Z", to: "9999-12-31T23:59:59Z", dryRun: "no" },
        ]),
      ),
    }),
    () => ({
      method: "POST",
      path: `/update_schedule/${target}`,
      body: JSON.stringify(
        r.pick([
          { hour: 25 },
          { minute: -1 },
          { interval: "x" },
          { day_of_week: "funday" },
          { enabled: "x" },
          {},
        ]),
      ),
    }),
    () => ({
      method: r.pick(["GET", "DELETE", "PUT", "OPTIONS", "TRACE", "PROPFIND", "HEAD", "PATCH"]),
      path: `/api/v1/schedules/${encodedJunk}`,
    }),
    () => ({
      method: "GET",
      path: r.pick([
        `/api/v1/schedules?enabled=${encodedJunk}`,
        `/api/v1/runs?limit=${r.pick(["-1", "1e309", "abc", "%00"])}`,
        `/api/v1/schedules/${target}/preview?count=${r.pick(["0", "101", "x"])}&from=${encodedJunk}`,
        `/api/v1/schedules/${target}/history?limit=-5`,
        `/api/v1/runs?status=${encodedJunk}`,
        `/api/v1/${encodedJunk}`,
        `/${encodedJunk}`,
      ]),
    }),
    () => ({
      method: r.pick(["GET", "POST", "DELETE"]),
      path: `/api/v1/calendars/${r.pick(["Bad Name", encodedJunk])}`,
      body: r.pick([undefined, body()]),
    }),
    () => ({
      method: "POST",
      path: "/api/v1/schedules",
      body: body(),
      headers: {
        "content-type": r.pick([
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/json; charset=latin1",
          "multipart/form-data",
        ]),
      },
    }),
    () => ({
      method: "PATCH",
      path: `/api/v1/schedules/${target}`,
      body: JSON.stringify({ description: "x" }),
      headers: {
        "if-match": r.pick(['"abc"', 'W/"-1"', "*x", '"99999999999999999999"']),
        "content-type": "application/json",
      },
      mayChange: true,
    }),
  ];
  const request = r.pick(kinds)();
  request.headers = { "content-type": "application/json", ...request.headers };
  return request;
}

function patchOf(r, _target) {
  const mutated = r.pick(hostileMutations(r))({ description: "fuzz" });
  delete mutated.name;
  return Object.keys(mutated).length > 1 ? mutated : { cron: "61 * * * *" };
}
