import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publishRunUpdates, recordRun, getSchedule, finishRun, claimRun } from "@hotbeat/shared";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanUpAfterEachTest } from "../../../test/fileTeardown.js";
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
  // A short poll of the history, so a raw SQL edit reaches the page within the test.
  t = await createTestApi({ pollIntervalMs: 500 });
  // Seeded by one INSERT … SELECT rather than through the import: this file is about the page at
  // 10,000 rows, not about the import (the triggers still version each row and record its history).
  // Labels: team by i % 3, tier=gold every 100th; so team=finance,tier=gold is every 300th (34).
  await t.database.sql`
    INSERT INTO schedules (name, task, description, cron, timezone, labels)
    SELECT 'job_' || lpad(i::text, 5, '0'), 'bulk.job', 'bulk schedule number ' || i,
           (i % 60) || ' ' || (i % 24) || ' * * *', (${ZONES}::text[])[i % ${ZONES.length} + 1],
           jsonb_build_object('team', (ARRAY['finance', 'ops', 'data'])[i % 3 + 1])
             || CASE WHEN i % 100 = 0 THEN '{"tier": "gold"}'::jsonb ELSE '{}'::jsonb END
    FROM generate_series(0, 9999) AS i`;
  // Three rows a raw SQL edit left unfireable, far apart in the order.
  await t.database.sql`UPDATE schedules SET timezone = 'Mars/Olympus' WHERE name = 'job_00007'`;
  await t.database.sql`UPDATE schedules SET cron = '61 * * * *' WHERE name = 'job_05007'`;
  await t.database.sql`UPDATE schedules SET start_at = '-infinity' WHERE name = 'job_09001'`;
  // A last run for job_00003 (Ho Chi Minh City), and a skip recorded ahead of its coming fire.
  await t.database.sql`
    INSERT INTO runs (schedule_name, task, kind, scheduled_at, schedule_version, status, started_at, finished_at)
    VALUES ('job_00003', 'bulk.job', 'schedule', '2026-03-01T03:03:00Z', 1, 'failed',
            '2026-03-01T03:03:01Z', '2026-03-01T03:03:05Z'),
           ('job_00003', 'bulk.job', 'schedule', now() + interval '2 days', 1, 'skipped', NULL, NULL)`;
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
  // Each open page holds a live stream, and Chromium keeps six connections to a host at most: a
  // test that left its pages open, passed or failed, would starve the next one's.
  cleanUpAfterEachTest(() => Promise.all(context.pages().map((page) => page.close())));
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
    // The next-run cell's instants only: a row among the soonest may also show its last run
    // (job_00003 has one), and whether it is among them depends on the time of day.
    const times = await page.locator("#schedule-rows tr > td:nth-of-type(2) time").all();
    const nextRuns = await Promise.all(
      times.map(async (time) => (await time.getAttribute("datetime")) ?? ""),
    );
    expect(nextRuns.length).toBe(50);
    expect([...nextRuns].sort()).toEqual(nextRuns);
    expect(pageProblems).toEqual([]);
  });

  it("opens a filtered link with its filters applied on the server, first screen in a handful of requests", async () => {
    const { page, apiRequests } = await openPage();
    const firstScreen = async (search: string, firstName: string) => {
      apiRequests.length = 0;
      const startedMs = Date.now();
      await page.goto(`${baseUrl}/${search}`, { waitUntil: "commit" });
      await rowOf(page, firstName).waitFor();
      const seenMs = Date.now() - startedMs;
      const requests = [...apiRequests];
      process.stdout.write(
        `10,000 schedules, ${search}: first rows painted ${await readFirstRowsMs(page)} ms after the navigation started (seen by the test after ${seenMs} ms), ${requests.length} API requests: ${requests.join(" ")}\n`,
      );
      return requests;
    };
    const shownNames = async () =>
      Promise.all(
        (await page.locator("#schedule-rows tr").all()).map((row) => row.getAttribute("data-name")),
      );

    // The first list by health after the seed checks all 10,000 rows; the reload shows the cached one.
    await firstScreen("?health=invalid", "job_00007");
    const invalid = await firstScreen("?health=invalid", "job_00007");
    expect(invalid.length).toBeLessThanOrEqual(5);
    expect(invalid.filter((url) => url.startsWith("/api/v1/schedules?"))).toEqual([
      "/api/v1/schedules?health=invalid&sort=name&limit=50",
    ]);
    await page.locator("#schedule-rows tr").nth(2).waitFor();
    expect(await shownNames()).toEqual(["job_00007", "job_05007", "job_09001"]);
    await rowOf(page, "job_00007").getByText("cannot fire").waitFor();
    await rowOf(page, "job_00007")
      .getByText(/timezone: "Mars\/Olympus"/)
      .waitFor();
    await rowOf(page, "job_05007")
      .getByText(/cron: /)
      .waitFor();
    await rowOf(page, "job_09001")
      .getByText(/startAt: /)
      .waitFor();
    expect(await page.getByLabel("Health").inputValue()).toBe("invalid");

    const labelled = await firstScreen("?label=team%3Dfinance%2C+tier%3Dgold", "job_00000");
    expect(labelled.length).toBeLessThanOrEqual(5);
    await rowOf(page, "job_09900").waitFor();
    const gold = await shownNames();
    expect(gold.length).toBe(34);
    expect(gold.every((name) => Number(name!.slice(4)) % 300 === 0)).toBe(true);
    expect(await page.getByLabel("Labels", { exact: true }).inputValue()).toBe("team=finance, tier=gold");

    // Search on top of the labels, typed: the URL follows, and a reload keeps all of it.
    await page.getByLabel("Search").fill("number 99");
    await page.waitForURL((url) => url.searchParams.get("q") === "number 99");
    await page.locator("#schedule-rows tr").nth(1).waitFor({ state: "detached" });
    await rowOf(page, "job_09900").waitFor();
    expect(await shownNames()).toEqual(["job_09900"]);
    const kept = new URL(page.url());
    expect(kept.searchParams.get("label")).toBe("team=finance, tier=gold");
    const searched = await firstScreen(kept.search, "job_09900");
    expect(searched.length).toBeLessThanOrEqual(5);
    expect(await shownNames()).toEqual(["job_09900"]);
    expect(await page.getByLabel("Search").inputValue()).toBe("number 99");

    // The health filter chosen on the page narrows these further: none of them is broken.
    await page.getByLabel("Health").selectOption("invalid");
    await page.waitForURL((url) => url.searchParams.get("health") === "invalid");
    await page.getByText("No schedule matches.").waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("number 99");
    await page.getByLabel("Search").fill("");
    await page.getByLabel("Labels", { exact: true }).fill("");
    await page.getByLabel("Labels", { exact: true }).press("Enter");
    await rowOf(page, "job_05007").waitFor();
    await page.locator("#schedule-rows tr").nth(2).waitFor();
    expect(await shownNames()).toEqual(["job_00007", "job_05007", "job_09001"]);
    expect(pageProblems).toEqual([]);
  });

  it("shows each row's last run from the list itself, its instant naming its zone", async () => {
    const { page, apiRequests } = await openPage();
    await page.goto(baseUrl);
    const row = rowOf(page, "job_00003");
    // The failed run of 03:03 UTC, in New York; the skip recorded for a coming fire is not a last run.
    await row.getByText("Sat 2026-02-28 22:03 America/New_York").waitFor();
    await row.getByText("failed", { exact: true }).waitFor();
    expect(await row.getByText("skipped").count()).toBe(0);
    await page.getByLabel("Times in").selectOption("viewer");
    await row.getByText("Sun 2026-03-01 04:03 Europe/Paris").waitFor();
    await page.getByLabel("Times in").selectOption("schedule");
    await row.getByText("Sat 2026-02-28 22:03 America/New_York").waitFor();
    expect(await rowOf(page, "job_00004").locator("td").nth(2).textContent()).toBe("—");
    expect(apiRequests.filter((url) => url.startsWith("/api/v1/runs"))).toEqual([]);
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

  it("shows an edit made in tab A in tab B without a refresh, a run as it starts and ends, and a raw SQL edit within the poll", async () => {
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

    // A raw SQL edit publishes nothing: both tabs get it from the feed's poll of the history.
    const requestsBeforeSql = b.apiRequests.length;
    await t.database.sql`UPDATE schedules SET cron = '45 6 * * *' WHERE name = 'job_00004'`;
    await rowOf(a.page, "job_00004").filter({ hasText: "At 06:45 every day, UTC" }).waitFor();
    await rowOf(b.page, "job_00004").filter({ hasText: "At 06:45 every day, UTC" }).waitFor();
    expect(b.apiRequests.length).toBe(requestsBeforeSql);
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
