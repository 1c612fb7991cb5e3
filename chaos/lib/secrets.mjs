import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A bearer token and an API-key header value, planted in one schedule's `http` payload. */
export function plantSecrets() {
  return {
    token: `chaosTOKEN${randomBytes(12).toString("hex")}`,
    headerValue: `chaosKEY${randomBytes(12).toString("hex")}`,
  };
}

/** The headers of the planted schedule: both values must reach the target and nothing else. */
export const secretHeaders = (secrets) => ({
  authorization: `Bearer ${secrets.token}`,
  "x-api-key": secrets.headerValue,
});

/**
 * Reads every line every process of the deployment printed and reports each line holding a
 * planted value (with the value masked), by process. The schedule's target answers 503 to each
 * first delivery, so the retry path and its logs are exercised too.
 */
export function scanLogs(logDir, secrets) {
  const values = [secrets.token, secrets.headerValue];
  const hits = [];
  let lines = 0;
  for (const file of readdirSync(logDir)) {
    for (const line of readFileSync(join(logDir, file), "utf8").split("\n")) {
      lines += 1;
      if (!values.some((v) => line.includes(v))) continue;
      let masked = line;
      for (const v of values) masked = masked.split(v).join("«SECRET»");
      hits.push({ process: file.replace(/\.log$/, ""), line: masked.slice(0, 400) });
    }
  }
  return { linesScanned: lines, hits: hits.length, byProcess: countBy(hits), examples: hits.slice(0, 5) };
}

function countBy(hits) {
  const counts = {};
  for (const h of hits) counts[h.process] = (counts[h.process] ?? 0) + 1;
  return counts;
}
