import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publishRunUpdates, recordRun, getSchedule, finishRun, claimRun } from "@hotbeat/shared";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "./testApi.js";

// The page at 10,000 schedules, two tabs kept live by the event stream, and its accessibility.
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
const ZONES = ["UTC", "Europe/Berlin", "Asia/Ho_Chi_Minh", "America/New_York"];

let t: TestApi;
let baseUrl: string;
let context: BrowserContext;
let userDataDir: string;
const pageProblems: string[] = [];

beforeAll(async () => {
  t = await createTestApi();
  // Seeded by one INSERT … SELECT rather than through the import: this file is about the page at
  // 10,000 rows, not about the import (the triggers still version each row and record its history).
  await t.database.sql`
    INSERT INTO schedules (name, task, description, cron, timezone)
    SELECT 'job_' || lpad(i::text, 5, '0'), 'bulk.job', 'bulk schedule number ' || i,
           (i % 60) || ' ' || (i % 24) || ' * * *', (${ZONES}::text[])[i % ${ZONES.length} + 1]
    FROM generate_series(0, 9999) AS i`;
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  userDataDir = await mkdtemp(join(tmpdir(), "hotbeat-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    timezoneId: "Europe/Paris",
  });
  await context.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
  );
}, 300_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

async function openPage(): Promise<{ page: Page; apiRequests: string[] }> {
  const page = await context.newPage();
  const apiRequests: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) apiRequests.push(`${url.pathname}${url.search}`);
  });
  page.on("pageerror", (error) => pageProblems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      pageProblems.push(message.text());
  });
  return { page, apiRequests };
}

/**
 * When the page painted its first rows, in ms from the navigation's start: the page marks the
 * frame that shows them (`hotbeat:first-rows`), which the test's own polling would only blur.
 */
async function readFirstRowsMs(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => {
    const timing = (
      globalThis as unknown as {
        performance: { getEntriesByName(name: string): Array<{ startTime: number }> };
      }
    ).performance;
    return timing.getEntriesByName("hotbeat:first-rows")[0]?.startTime;
  });
  return Math.round(Number(await handle.jsonValue()));
}

const rowOf = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("button", { name, exact: true }) });

describe("the Schedules page at 10,000 schedules", { timeout: 120_000 }, () => {
  it("shows its first screen with a handful of requests, then searches, filters and sorts on the server", async () => {
    const { page, apiRequests } = await openPage();
    const startedMs = Date.now();
    // From the navigation's start, not from its load event: the rows may show before it.
    await page.goto(baseUrl, { waitUntil: "commit" });
    await rowOf(page, "job_00000").waitFor();
    const firstScreenMs = Date.now() - startedMs;
    const requestsAtFirstScreen = [...apiRequests];
    process.stdout.write(
      `10,000 schedules: first rows painted ${await readFirstRowsMs(page)} ms after the navigation started (seen by the test after ${firstScreenMs} ms), ${requestsAtFirstScreen.length} API requests: ${requestsAtFirstScreen.join(" ")}\n`,
    );
    expect(requestsAtFirstScreen.length).toBeLessThanOrEqual(5);
    await page.reload({ waitUntil: "commit" });
    await rowOf(page, "job_00000").waitFor();
    process.stdout.write(
      `10,000 schedules: first rows painted ${await readFirstRowsMs(page)} ms after a reload\n`,
    );
    expect(await page.locator("#schedule-rows tr").count()).toBe(50);
    await rowOf(page, "job_00002").filter({ hasText: "At 02:02 every day, Asia/Ho_Chi_Minh" }).waitFor();

    await page.getByRole("button", { name: "Next", exact: true }).click();
    await rowOf(page, "job_00050").waitFor();
    await page.getByLabel("Search").fill("number 9999");
    await rowOf(page, "job_09999").waitFor();
    expect(await page.locator("#schedule-rows tr").count()).toBe(1);
    await page.getByLabel("Search").fill("");
    await page.getByLabel("Sort by").selectOption("next");
    await page.locator('#schedule-rows[data-sort="next"] tr').nth(49).waitFor();
    const times = await page.locator("#schedule-rows time").all();
    const nextRuns = await Promise.all(
      times.map(async (time) => (await time.getAttribute("datetime")) ?? ""),
    );
    expect(nextRuns.length).toBe(50);
    expect([...nextRuns].sort()).toEqual(nextRuns);
    expect(pageProblems).toEqual([]);
  });

  it("names the zone of every instant and switches between the schedule's zone and the viewer's", async () => {
    const { page } = await openPage();
    await page.goto(baseUrl);
    const row = rowOf(page, "job_00002");
    await row.getByText(/\d{2}:\d{2} Asia\/Ho_Chi_Minh$/).waitFor();
    await page.getByLabel("Times in").selectOption("viewer");
    await row.getByText(/\d{2}:\d{2} Europe\/Paris$/).waitFor();
    // 02:02 in Ho Chi Minh City is 20:02 or 21:02 the day before in Paris (UTC+7 against CET/CEST).
    expect(await row.locator("time").first().textContent()).toMatch(/ (20|21):02 Europe\/Paris$/);
    await page.getByLabel("Times in").selectOption("schedule");
    await row.getByText(/02:02 Asia\/Ho_Chi_Minh$/).waitFor();
  });

  it("shows an edit made in tab A in tab B without a refresh, and a run as it starts and ends", async () => {
    const a = await openPage();
    const b = await openPage();
    await a.page.goto(baseUrl);
    await b.page.goto(baseUrl);
    await b.page.getByText("Live", { exact: true }).waitFor();
    await rowOf(b.page, "job_00001").getByRole("button", { name: "job_00001", exact: true }).click();
    await b.page.getByRole("heading", { name: "job_00001" }).waitFor();

    await a.page.getByRole("button", { name: "Edit job_00001" }).click();
    const editor = a.page.getByRole("dialog", { name: "Edit job_00001" });
    await editor.getByLabel("Time (24-hour, HH:MM)").fill("17:45");
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.waitFor({ state: "hidden" });
    await rowOf(b.page, "job_00001").filter({ hasText: "At 17:45 every day, Europe/Berlin" }).waitFor();
    const requestsBefore = b.apiRequests.length;

    const schedule = await getSchedule(t.database.db, "job_00001");
    const { run } = await recordRun(t.database.db, { schedule, scheduledAt: new Date(), kind: "manual" });
    await publishRunUpdates(t.redis, t.namespace, [run.id]);
    const runs = b.page.getByRole("table", { name: "Recent runs" });
    await runs.getByRole("row").filter({ hasText: "queued" }).waitFor();
    await claimRun(t.database.db, run.id, 1);
    await finishRun(t.database.db, run.id, { status: "succeeded", result: { rows: 42 } });
    await publishRunUpdates(t.redis, t.namespace, [run.id]);
    await runs.getByRole("row").filter({ hasText: "succeeded" }).waitFor();
    await rowOf(b.page, "job_00001").filter({ hasText: "succeeded" }).waitFor();
    expect(b.apiRequests.length).toBe(requestsBefore);

    await runs.getByRole("button", { expanded: false }).first().click();
    await runs.getByText('{"rows":42}').waitFor();
    expect(pageProblems).toEqual([]);
  });

  it("has no serious or critical accessibility violations, on the list and in the editor", async () => {
    const { page } = await openPage();
    await page.goto(baseUrl);
    await rowOf(page, "job_00000").waitFor();
    // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses injected script tags.
    await page.evaluate(await readFile(AXE_SCRIPT, "utf8"));
    const audit = () =>
      page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
          }
        ).axe;
        const result = await axe.run();
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
      });
    expect(await audit()).toEqual([]);
    await page.keyboard.press("Tab");
    await page.getByRole("button", { name: "Edit job_00000" }).focus();
    await page.keyboard.press("Enter");
    const editor = page.getByRole("dialog", { name: "Edit job_00000" });
    await editor.waitFor();
    await editor.getByText("Advanced").click();
    expect(await audit()).toEqual([]);
  });
});
