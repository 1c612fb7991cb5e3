import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

// The page's browser tests share one way to drive Chromium: headless, nothing that reaches past
// this machine, every page error and console error collected, and an accessibility audit.
const CHROMIUM = process.env.HOTBEAT_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
];
const AXE_SCRIPT = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface TestBrowser {
  context: BrowserContext;
  /** Page errors and console errors of every page opened, to assert empty. */
  problems: string[];
  /** The API requests (path and query) of the pages open, in the order they were sent. */
  apiRequests: string[];
  openPage(url: string): Promise<Page>;
  /**
   * Closes the pages opened so far. Each holds the live feed open, and a browser keeps at most six
   * connections to one host over HTTP/1.1: a test that leaves pages open starves the next one's.
   */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

/** A browser whose pages reach only 127.0.0.1, in the given zone. */
export async function launchTestBrowser(timezoneId = "Europe/Paris"): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), "hotbeat-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    timezoneId,
  });
  await context.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
  );
  const problems: string[] = [];
  const pages: Page[] = [];
  const apiRequests: string[] = [];
  return {
    context,
    problems,
    apiRequests,
    async openPage(url) {
      const page = await context.newPage();
      pages.push(page);
      page.on("request", (request) => {
        const requested = new URL(request.url());
        if (requested.pathname.startsWith("/api/"))
          apiRequests.push(`${requested.pathname}${requested.search}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
          problems.push(message.text());
      });
      await page.goto(url);
      return page;
    },
    async closePages() {
      await Promise.all(pages.splice(0).map((page) => page.close()));
      apiRequests.length = 0;
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The serious and critical axe-core violations of what the page shows now. */
export async function auditAccessibility(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses injected script tags.
  if (!(await page.evaluate(() => "axe" in globalThis)))
    await page.evaluate(await readFile(AXE_SCRIPT, "utf8"));
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown[] }> }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  });
}
