import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

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

/** Serves the UI under `/`, if its files are present. The API routes are registered first and win. */
export async function registerUi(
  app: FastifyInstance,
  root: string | undefined = findUiRoot(),
): Promise<void> {
  if (!root) return;
  await app.register(fastifyStatic, { root, prefix: "/", index: ["index.html"], wildcard: false });
}
