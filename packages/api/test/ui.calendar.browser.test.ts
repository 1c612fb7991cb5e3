import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";
import { auditAccessibility, launchTestBrowser, type TestBrowser } from "./uiBrowser.js";

// The page's calendar features: label and health filters kept in the URL, labels, exclusions,
// calendars and alert in the editor, pause until, skip and undo, backfill. The Calendars and
// Schedulers views are in ui.views.browser.test.ts.

let t: TestApi;
let baseUrl: string;
let browser: TestBrowser;

interface StoredSchedule {
  version: number;
  enabled: boolean;
  labels: Record<string, string>;
  exclude: string[];
  calendars: string[];
  alert: unknown;
  pausedUntil: string | null;
  pauseMode: string;
}
const schedule = async (name: string) =>
  bodyOf<StoredSchedule>(await t.app.inject({ url: `/api/v1/schedules/${name}` }));
const rowOf = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("button", { name, exact: true }) });
const listedNames = async (page: Page): Promise<Array<string | null>> =>
  page
    .locator("#schedule-rows tr")
    .evaluateAll((rows: Array<{ getAttribute(name: string): string | null }>) =>
      rows.map((row) => row.getAttribute("data-name")),
    );
const dayAfter = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function create(payload: Record<string, unknown>, path = "/api/v1/schedules"): Promise<void> {
  const response = await t.app.inject({ method: "POST", url: path, payload });
  expect(response.statusCode, response.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApi();
  await create({
    name: "finance_report",
    task: "reports.finance",
    cron: "0 9 * * *",
    timezone: "UTC",
    labels: { team: "finance", tier: "gold" },
  });
  await create({ name: "finance_sync", task: "sync", intervalSeconds: 3600, labels: { team: "finance" } });
  await create({ name: "ops_probe", task: "probe", cron: "*/15 * * * *", labels: { team: "ops" } });
  await create({ name: "broken_by_sql", task: "log", cron: "0 9 * * *" });
  await t.database.sql`UPDATE schedules SET cron = 'every morning' WHERE name = 'broken_by_sql'`;
  await create({ name: "saigon_digest", task: "digest", cron: "30 7 * * *", timezone: "Asia/Ho_Chi_Minh" });
  await create({ name: "monthly_close", task: "close", cron: "0 3 1 * *", timezone: "UTC" });
  await create({ name: "hourly_export", task: "export", cron: "0 * * * *", timezone: "UTC" });
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await launchTestBrowser();
});

afterEach(async () => {
  await browser.closePages();
});

afterAll(async () => {
  await browser?.close();
});

describe("the page's calendar features", { timeout: 60_000 }, () => {
  it("filters by a label selector and by health, shows labels as chips, and keeps the filters in the URL", async () => {
    const page = await browser.openPage(`${baseUrl}/?label=team%3Dfinance`);
    await rowOf(page, "finance_report").getByRole("button", { name: "tier=gold" }).waitFor();
    expect(await listedNames(page)).toEqual(["finance_report", "finance_sync"]);
    // The page's first request is the one the HTML preloaded for this URL: asked for once.
    expect(browser.apiRequests.filter((path) => path.startsWith("/api/v1/schedules?"))).toEqual([
      "/api/v1/schedules?label=team%3Dfinance&sort=name&limit=50",
    ]);
    expect(await page.getByLabel("Labels", { exact: true }).inputValue()).toBe("team=finance");
    expect(
      await rowOf(page, "finance_report")
        .getByRole("list", { name: "Labels of finance_report" })
        .textContent(),
    ).toBe("team=financetier=gold");

    await rowOf(page, "finance_report").getByRole("button", { name: "tier=gold" }).click();
    await page.waitForURL(/label=team%3Dfinance%2C\+tier%3Dgold/);
    await page.locator("#schedule-rows tr").nth(1).waitFor({ state: "detached" });
    expect(await listedNames(page)).toEqual(["finance_report"]);
    expect(await page.getByLabel("Labels", { exact: true }).inputValue()).toBe("team=finance, tier=gold");

    await page.getByLabel("Labels", { exact: true }).fill("Team Name=finance");
    const labelInput = page.getByLabel("Labels", { exact: true });
    await page.locator("#label-filter-error").filter({ hasText: /\S/ }).waitFor();
    expect(await labelInput.getAttribute("aria-invalid")).not.toBeNull();

    await labelInput.fill("");
    await page.getByLabel("Health").selectOption("invalid");
    await page.waitForURL(/\?health=invalid$/);
    await rowOf(page, "broken_by_sql").waitFor();
    await page.locator("#schedule-rows tr").nth(1).waitFor({ state: "detached" });
    expect(await labelInput.getAttribute("aria-invalid")).toBeNull();

    await page.getByLabel("Sort by").selectOption("next");
    await page.waitForURL(/\?health=invalid&sort=next$/);
    await page.reload();
    await rowOf(page, "broken_by_sql").waitFor();
    expect(await page.getByLabel("Health").inputValue()).toBe("invalid");
    expect(await page.getByLabel("Sort by").inputValue()).toBe("next");
    expect(browser.problems).toEqual([]);
  });

  it("edits labels, exclusions, calendars and an alert, shows the API's refusals on the fields they name, and marks excluded runs in the preview", async () => {
    const { fireTimes } = bodyOf<{ fireTimes: Array<{ at: string }> }>(
      await t.app.inject({ url: "/api/v1/schedules/finance_report/preview?count=1" }),
    );
    const firstDate = fireTimes[0]!.at.slice(0, 10);
    const [ownDate, holiday] = [dayAfter(firstDate, 1), dayAfter(firstDate, 2)];
    await create(
      { name: "vn-public-holidays", description: "Public holidays", dates: [holiday] },
      "/api/v1/calendars",
    );

    const page = await browser.openPage(baseUrl);
    await page.getByRole("button", { name: "Edit finance_report" }).click();
    const editor = page.getByRole("dialog", { name: "Edit finance_report" });
    await editor.getByText("Labels and dates it skips").click();
    await editor.getByText("Alert", { exact: true }).click();
    const labels = editor.getByLabel("Labels, one key=value a line");
    const exclude = editor.getByRole("textbox", { name: /^Dates it does not run on/ });
    const webhook = editor.getByLabel("Webhook URL");
    expect(await labels.inputValue()).toBe("team=finance\ntier=gold");
    await labels.fill("team=finance\ntier=gold\nBad Key!=x");
    await exclude.fill("2027-02-30");
    await editor.getByLabel("When runs are missed or keep failing").selectOption("url");
    await webhook.fill("ftp://files.example.com/drop");
    await editor.getByRole("button", { name: "Save" }).click();

    await editor
      .locator("#error-labels")
      .filter({ hasText: /^labels\.Bad Key!: / })
      .waitFor();
    await editor
      .locator("#error-exclude")
      .filter({ hasText: /^exclude\.0: / })
      .waitFor();
    await editor
      .locator("#error-alertUrl")
      .filter({ hasText: /^alert\.url: / })
      .waitFor();
    for (const field of [labels, exclude, webhook])
      expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await labels.getAttribute("aria-describedby")).toBe("error-labels");
    expect((await schedule("finance_report")).version).toBe(1);

    await labels.fill("team=finance\ntier=gold\nowner=ana");
    await exclude.fill(ownDate);
    await webhook.fill("https://hooks.example.com/hotbeat");
    await editor.getByLabel("After this many failed runs in a row").fill("2");
    await editor.getByRole("checkbox", { name: "vn-public-holidays" }).check();
    const preview = editor.getByRole("list", { name: "Next 5 runs" });
    await preview.getByRole("listitem").filter({ hasText: "excluded (vn-public-holidays)" }).waitFor();
    expect(await preview.getByRole("listitem").allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^\\w{3} ${ownDate} 09:00 UTC.*excluded \\(its own dates\\)$`)),
        expect.stringMatching(new RegExp(`^\\w{3} ${holiday} 09:00 UTC.*excluded \\(vn-public-holidays\\)$`)),
      ]),
    );
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.waitFor({ state: "hidden" });
    expect(await schedule("finance_report")).toMatchObject({
      labels: { team: "finance", tier: "gold", owner: "ana" },
      exclude: [ownDate],
      calendars: ["vn-public-holidays"],
      alert: { url: "https://hooks.example.com/hotbeat", afterFailures: 2 },
    });
    await rowOf(page, "finance_report").getByRole("button", { name: "owner=ana" }).waitFor();
    expect(browser.problems).toEqual([]);
  });

  it("pauses until tomorrow at 00:00 in the schedule's zone, says so in the row with the zone, and resumes", async () => {
    const page = await browser.openPage(baseUrl);
    await page.getByRole("button", { name: "saigon_digest", exact: true }).click();
    await page.getByRole("button", { name: "Pause…" }).click();
    const dialog = page.getByRole("dialog", { name: "Pause saigon_digest" });
    await dialog.getByLabel("Until a date").check();
    await dialog.getByLabel("Until (wall time in Asia/Ho_Chi_Minh)").fill("2020-01-01T09:00");
    await dialog.getByRole("button", { name: "Pause" }).click();
    await dialog.getByRole("alert").filter({ hasText: "must be in the future" }).waitFor();

    await dialog.getByLabel("Until tomorrow (00:00 in Asia/Ho_Chi_Minh)").check();
    await dialog.getByRole("radio", { name: /^Catch up when it resumes/ }).check();
    await dialog.getByRole("button", { name: "Pause" }).click();
    await page.getByRole("status").filter({ hasText: "Paused saigon_digest (version 2)." }).waitFor();
    const stored = await schedule("saigon_digest");
    expect(stored).toMatchObject({ enabled: false, pauseMode: "catch_up" });
    // 00:00 in Ho Chi Minh City (UTC+7, no DST) is 17:00Z the day before, within a day from now.
    expect(stored.pausedUntil).toMatch(/^\d{4}-\d{2}-\d{2}T17:00:00\.000Z$/);
    const untilMs = Date.parse(stored.pausedUntil!);
    expect(untilMs - Date.now()).toBeGreaterThan(0);
    expect(untilMs - Date.now()).toBeLessThanOrEqual(86_400_000);

    const row = rowOf(page, "saigon_digest");
    await row.getByText(/^paused until \w{3} \d{4}-\d{2}-\d{2} 00:00 Asia\/Ho_Chi_Minh$/).waitFor();
    await page
      .locator("#details-paused")
      .filter({
        hasText: /^Paused until .* 00:00 Asia\/Ho_Chi_Minh, when it resumes by itself; it catches up/,
      })
      .waitFor();
    await page.getByLabel("Times in").selectOption("viewer");
    await row.getByText(/^paused until \w{3} \d{4}-\d{2}-\d{2} 1[78]:00 Europe\/Paris$/).waitFor();
    await page.getByLabel("Times in").selectOption("schedule");

    await page.getByRole("button", { name: "Resume" }).click();
    await page.getByRole("status").filter({ hasText: "Resumed saigon_digest (version 3)." }).waitFor();
    expect(await schedule("saigon_digest")).toMatchObject({ enabled: true, pausedUntil: null });
    expect(browser.problems).toEqual([]);
  });

  it("skips the next run from the details with one click, marks it in the next runs, and undoes it", async () => {
    const page = await browser.openPage(baseUrl);
    await page.getByRole("button", { name: "monthly_close", exact: true }).click();
    const nextRuns = page.getByRole("list", { name: "Next runs" });
    await nextRuns.getByRole("listitem").nth(4).waitFor();
    const first = (await nextRuns.getByRole("listitem").first().locator(".when").textContent())!;

    await page.getByRole("button", { name: "Skip next run" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Skipped the run of monthly_close at ${first}.` })
      .waitFor();
    const skipped = nextRuns.getByRole("listitem").filter({ hasText: "skipped by web" });
    await skipped.waitFor();
    expect(await skipped.locator(".when").textContent()).toBe(first);
    await page
      .getByRole("table", { name: "Recent runs" })
      .getByRole("row")
      .filter({ hasText: "skipped" })
      .waitFor();
    expect(await nextRuns.getByRole("listitem").count()).toBe(6);

    await skipped.getByRole("button", { name: `Undo skip of ${first}` }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `The run of monthly_close at ${first} is no longer skipped.` })
      .waitFor();
    await skipped.waitFor({ state: "detached" });
    expect(await nextRuns.getByRole("listitem").first().locator(".when").textContent()).toBe(first);
    expect(browser.problems).toEqual([]);
  });

  it("backfills a range from the details after a dry run that lists its instants", async () => {
    const page = await browser.openPage(baseUrl);
    await page.getByRole("button", { name: "hourly_export", exact: true }).click();
    await page.getByRole("button", { name: "Backfill…" }).click();
    const dialog = page.getByRole("dialog", { name: "Backfill hourly_export" });
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString().slice(0, 16);
    await dialog.getByLabel("From (wall time in UTC)").fill(threeHoursAgo);
    expect(await dialog.getByRole("button", { name: "Run the backfill" }).isDisabled()).toBe(true);
    await dialog.getByRole("button", { name: "Show the instants" }).click();

    const summary = dialog.getByText(/^\d+ instants in the range:/);
    await summary.waitFor();
    const count = Number(/^(\d+)/.exec((await summary.textContent())!)![1]);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(await summary.textContent()).toBe(
      `${count} instants in the range: ${count} would run, 0 already have a run, 0 are excluded.`,
    );
    const instants = dialog.getByRole("list", { name: "Instants of the backfill" }).getByRole("listitem");
    expect(await instants.allTextContents()).toEqual(
      Array.from({ length: count }, (): unknown =>
        expect.stringMatching(/^\w{3} \S+ \d{2}:00 UTC: would run$/),
      ),
    );
    expect((await t.app.inject({ url: "/api/v1/runs?schedule=hourly_export" })).body).toBe('{"runs":[]}');

    await dialog.getByRole("button", { name: "Run the backfill" }).click();
    await page
      .getByRole("status")
      .filter({
        hasText: `Backfilled hourly_export: ${count} runs created, 0 missed runs reopened, 0 left as they were.`,
      })
      .waitFor();
    const { runs } = bodyOf<{ runs: unknown[] }>(
      await t.app.inject({ url: "/api/v1/runs?schedule=hourly_export" }),
    );
    expect(runs).toHaveLength(count);
    expect(browser.problems).toEqual([]);
  });

  it("has no serious or critical accessibility violations in the details, the pause dialog and the editor's new fields", async () => {
    const page = await browser.openPage(baseUrl);
    await page.getByRole("button", { name: "finance_report", exact: true }).click();
    await page.getByRole("list", { name: "Next runs" }).getByRole("listitem").first().waitFor();
    await page.getByRole("table", { name: "History" }).getByRole("row").nth(1).waitFor();
    expect(await auditAccessibility(page)).toEqual([]);
    await page.getByRole("button", { name: "Pause…" }).click();
    await page.getByRole("dialog", { name: "Pause finance_report" }).getByLabel("Until a date").check();
    expect(await auditAccessibility(page)).toEqual([]);
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: "Edit finance_report" }).click();
    const editor = page.getByRole("dialog", { name: "Edit finance_report" });
    await editor.getByText("Labels and dates it skips").click();
    await editor.getByText("Alert", { exact: true }).click();
    await editor.getByLabel("Labels, one key=value a line").fill("Bad Key!=x");
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.locator("#error-labels").waitFor();
    expect(await auditAccessibility(page)).toEqual([]);
  });
});
