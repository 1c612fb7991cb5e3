import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
// The page's own reading of its URL, so the preload below asks for exactly what the page will.
import { readListQuery, readView, toApiQuery } from "../ui/js/listQuery.js";

/** Where index.html takes the preload of its first page of schedules. */
const PRELOAD_MARK = "<!-- first page preload -->";

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

/**
 * Serves the UI under `/`, if its files are present: index.html with the preload of the first
 * page its URL asks for, the rest as static files. The API routes are registered first and win.
 */
export async function registerUi(
  app: FastifyInstance,
  root: string | undefined = findUiRoot(),
): Promise<void> {
  if (!root) return;
  const page = readFileSync(`${root}index.html`, "utf8");
  app.get("/", { schema: { hide: true } }, (request, reply) => {
    const queryAt = request.url.indexOf("?");
    const search = queryAt === -1 ? "" : request.url.slice(queryAt);
    return reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(page.replace(PRELOAD_MARK, renderFirstPagePreload(search)));
  });
  await app.register(fastifyStatic, { root, prefix: "/", index: false, wildcard: false });
}
