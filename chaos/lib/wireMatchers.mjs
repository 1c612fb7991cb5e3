import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

// Inspectors for the TCP proxy (tcpProxy.mjs): they recognise, in the bytes a process sends,
// the two steps of a fire between which a crash is worth testing, by what is stable on the wire
// rather than by timing or a hook in hotbeat.

/**
 * BullMQ's add scripts (addStandardJob, addDelayedJob, addPrioritizedJob): their SHA-1 (ioredis
 * sends EVALSHA with it) and the start of their text (its EVAL fallback after NOSCRIPT).
 */
async function loadAddScripts() {
  const require = createRequire(import.meta.url);
  // The package's exports hide its script files; they sit beside its ESM entry.
  const esmDir = join(dirname(require.resolve("bullmq")), "..", "esm", "scripts");
  const files = readdirSync(esmDir).filter((f) => /^add(Standard|Delayed|Prioritized)Job-\d+\.js$/.test(f));
  if (files.length === 0) throw new Error(`no BullMQ add script in ${esmDir}`);
  const scripts = [];
  for (const file of files) {
    const module = await import(pathToFileURL(join(esmDir, file)).href);
    const { name, content } = Object.values(module)[0];
    scripts.push({
      name,
      sha: Buffer.from(createHash("sha1").update(content).digest("hex")),
      head: Buffer.from(content.slice(0, 120)),
    });
  }
  return scripts;
}

/**
 * A factory of Redis inspectors that report the first EVALSHA (or EVAL) of a BullMQ add script:
 * the enqueue of a run. A plain byte search with a carried tail, so a match split between two
 * chunks is still seen (its first part was forwarded, but Redis runs nothing until the whole
 * command has arrived).
 */
export async function createEnqueueMatcher() {
  const scripts = await loadAddScripts();
  const needles = scripts.flatMap((s) => [
    { bytes: s.sha, what: `EVALSHA of BullMQ's ${s.name}` },
    { bytes: s.head, what: `EVAL of BullMQ's ${s.name}` },
  ]);
  const keep = Math.max(...needles.map((n) => n.bytes.length)) - 1;
  return () => {
    let tail = Buffer.alloc(0);
    return {
      inspect(chunk) {
        const window = Buffer.concat([tail, chunk]);
        tail = window.subarray(Math.max(0, window.length - keep));
        return needles.find((n) => window.includes(n.bytes))?.what;
      },
    };
  };
}

const MARK_SQL = /\bupdate\b[\s\S]*?\bset\b[\s\S]*?\benqueued_at\b/i;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

const readCString = (buffer, at) => {
  const end = buffer.indexOf(0, at);
  return end < 0 ? ["", buffer.length] : [buffer.toString("utf8", at, end), end + 1];
};

/**
 * A factory of PostgreSQL inspectors that report the mark of enqueued runs (`UPDATE … SET
 * enqueued_at`): a simple Query with that text, a Parse of it, or a Bind of a statement that was
 * parsed with it (postgres.js prepares statements, so after the first time on a connection only
 * the statement's name crosses the wire). Frames the frontend protocol from the connection's
 * first byte: untyped startup messages (and an SSL or GSS request before them), then typed ones.
 */
export function createMarkMatcher() {
  return () => {
    let buffer = Buffer.alloc(0);
    let isStartup = true;
    const markStatements = new Set();
    function examine(type, body) {
      if (type === "Q")
        return MARK_SQL.test(readCString(body, 0)[0]) ? "Query UPDATE … enqueued_at" : undefined;
      if (type === "P") {
        const [statement, next] = readCString(body, 0);
        if (!MARK_SQL.test(readCString(body, next)[0])) return undefined;
        if (statement) markStatements.add(statement);
        return "Parse of UPDATE … enqueued_at";
      }
      if (type === "B") {
        const [, next] = readCString(body, 0);
        const [statement] = readCString(body, next);
        return markStatements.has(statement) ? "Bind of the prepared UPDATE … enqueued_at" : undefined;
      }
      return undefined;
    }
    return {
      inspect(chunk) {
        buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
        let found;
        for (;;) {
          if (isStartup) {
            if (buffer.length < 8) break;
            const length = buffer.readInt32BE(0);
            if (buffer.length < length) break;
            const code = buffer.readInt32BE(4);
            if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) isStartup = false;
            buffer = buffer.subarray(length);
            continue;
          }
          if (buffer.length < 5) break;
          const length = buffer.readInt32BE(1);
          if (buffer.length < 1 + length) break;
          found ??= examine(String.fromCharCode(buffer[0]), buffer.subarray(5, 1 + length));
          buffer = buffer.subarray(1 + length);
        }
        return found;
      },
    };
  };
}
