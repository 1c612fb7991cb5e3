import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
// The page's own reading of its URL, so the preload below asks for exactly what the page will.
import { readListQuery, readView, toApiQuery } from "../ui/js/listQuery.js";

/** Where index.html takes the preload of its first page of schedules. */
const PRELOAD_MARK = "<!-- first page preload -->";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

interface UiFile {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * The web UI's static files. Run from sources (tests, tsx) this module sits in `src/plugins`, so
 * the files are in `src/ui`; built, in `dist/plugins`, and the build's copy step puts them in
 * `dist/ui`. When neither exists the API runs without a UI.
 */
export function findUiRoot(): string | undefined {
  const candidates = [new URL("../ui/", import.meta.url), new URL("../../src/ui/", import.meta.url)].map(
    (u) => fileURLToPath(u),
  );
  return candidates.find((dir) => existsSync(`${dir}index.html`));
}

const escapeAttribute = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/**
 * The `<link rel="preload">` of the first page of schedules the page at `search` (a URL's query
 * string) will ask for, or nothing when it opens on another view. The browser starts that request
 * while it reads the HTML, and hands its answer to the page's own identical request.
 */
export function renderFirstPagePreload(search: string): string {
  if (readView(search) !== "schedules") return "";
  const href = `/api/v1/schedules?${toApiQuery(readListQuery(search)).toString()}`;
  return `<link rel="preload" as="fetch" href="${escapeAttribute(href)}" crossorigin="anonymous" />`;
}

/** Every file the browser may ask for under `root`, by URL path (types for TypeScript left out). */
async function readUiFiles(root: string): Promise<Map<string, UiFile>> {
  const files = new Map<string, UiFile>();
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const type = CONTENT_TYPES[extname(entry.name)];
    if (!entry.isFile() || !type || entry.name.endsWith(".d.ts")) continue;
    const path = join(entry.parentPath, entry.name);
    const body = await readFile(path);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    files.set(`/${relative(root, path).split(sep).join("/")}`, { body, type, etag });
  }
  return files;
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: UiFile): FastifyReply {
  reply.header("etag", file.etag).header("cache-control", "no-cache").type(file.type);
  if (request.headers["if-none-match"] === file.etag) return reply.code(304).send();
  return reply.send(file.body);
}

/**
 * Serves the UI under `/`, if its files are present: index.html with the preload of the first
 * page its URL asks for, the rest as they are. The files are read once, at start, and answered
 * from memory: the first screen asks for a dozen of them at once, and a file system read each
 * (stat, open, read, close, through libuv's four threads) made each wait behind the others and
 * behind the list's own work. The API routes are registered first and win.
 */
export async function registerUi(
  app: FastifyInstance,
  root: string | undefined = findUiRoot(),
): Promise<void> {
  if (!root) return;
  const files = await readUiFiles(root);
  const index = files.get("/index.html");
  if (!index) return;
  const page = index.body.toString("utf8");
  const sendPage = (request: FastifyRequest, reply: FastifyReply) => {
    const queryAt = request.url.indexOf("?");
    const search = queryAt === -1 ? "" : request.url.slice(queryAt);
    return reply
      .type(index.type)
      .header("cache-control", "no-cache")
      .send(page.replace(PRELOAD_MARK, renderFirstPagePreload(search)));
  };
  app.get("/", { schema: { hide: true } }, sendPage);
  for (const [path, file] of files) {
    if (path === "/index.html") app.get(path, { schema: { hide: true } }, sendPage);
    else app.get(path, { schema: { hide: true } }, (request, reply) => sendFile(request, reply, file));
  }
}
