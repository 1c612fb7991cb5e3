#!/usr/bin/env node
// The `hotbeat` command as npm links it. `npm install` links bins before anything is built, so the
// link cannot point at dist/ (absent on a fresh clone, and npm skips a bin whose file is missing):
// it points here. With a build, this runs it; without one, it runs the sources through tsx (a
// dependency of the repository), which needs no build step, writes nothing, and so cannot race
// with another command building at the same time. `npm run build` makes later starts faster.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/main.js", import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const tsx = await import("tsx/esm/api").catch((error) => {
    throw new Error("hotbeat is not built and tsx is not installed: run npm install, then npm run build", {
      cause: error,
    });
  });
  tsx.register();
  await import(new URL("../src/main.ts", import.meta.url).href);
}
