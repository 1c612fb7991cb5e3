import type { AddressInfo } from "node:net";
import { schedulerStatusKey } from "@hotbeat/shared";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "./testApi.js";
import { auditAccessibility, launchTestBrowser, type TestBrowser } from "./uiBrowser.js";

// The page's Calendars view (list, create, edit, delete, history) and Schedulers view (the live
// schedulers, and the schedules hotbeat cannot fire, linked to the list filtered to them).

let t: TestApi;
let baseUrl: string;
let browser: TestBrowser;

const rowOf = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("button", { name, exact: true }) });

async function create(payload: Record<string, unknown>, path = "/api/v1/schedules"): Promise<void> {
  const response = await t.app.inject({ method: "POST", url: path, payload });
  expect(response.statusCode, response.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApi();
  await create({ name: "vn-public-holidays", dates: ["2027-09-02"] }, "/api/v1/calendars");
  await create({ name: "unused-calendar", dates: ["2030-01-01"] }, "/api/v1/calendars");
  await create({
    name: "finance_report",
    task: "reports",
    cron: "0 9 * * *",
    calendars: ["vn-public-holidays"],
  });
  await create({ name: "broken_by_sql", task: "log", cron: "0 9 * * *" });
  await t.database.sql`UPDATE schedules SET cron = 'every morning' WHERE name = 'broken_by_sql'`;
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

describe("the Calendars and Schedulers views", { timeout: 60_000 }, () => {
  it("lists, creates, edits and deletes calendars, shows why one in use cannot be deleted, and its history", async () => {
    const page = await browser.openPage(`${baseUrl}/?view=calendars`);
    const calendars = page.getByRole("table", { name: "Calendars" });
    await calendars
      .getByRole("row")
      .filter({ hasText: "vn-public-holidays" })
      .filter({ hasText: "1 schedule" })
      .waitFor();
    expect(await page.getByRole("link", { name: "Calendars" }).getAttribute("aria-current")).toBe("page");

    await page.getByRole("button", { name: "New calendar" }).click();
    const dialog = page.getByRole("dialog", { name: "New calendar" });
    await dialog.getByLabel("Name").fill("eu-bank-holidays");
    await dialog.getByRole("textbox", { name: /^Dates:/ }).fill("2027-12-25\n2027-13-01");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog
      .locator("#error-dates")
      .filter({ hasText: /^dates\.1: / })
      .waitFor();
    expect(await dialog.getByRole("textbox", { name: /^Dates:/ }).getAttribute("aria-invalid")).toBe("true");
    await dialog.getByRole("textbox", { name: /^Dates:/ }).fill("2027-12-25\n2027-12-26");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved eu-bank-holidays (version 1)." }).waitFor();
    const row = calendars.getByRole("row").filter({ hasText: "eu-bank-holidays" });
    await row.filter({ hasText: "2027-12-25, 2027-12-26" }).waitFor();

    await row.getByRole("button", { name: "Edit eu-bank-holidays" }).click();
    const edit = page.getByRole("dialog", { name: "Edit eu-bank-holidays" });
    await edit.getByRole("textbox", { name: /^Dates:/ }).fill("2027-01-01\n2027-12-25\n2027-12-26");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved eu-bank-holidays (version 2)." }).waitFor();
    await row.filter({ hasText: "2027-01-01, 2027-12-25, 2027-12-26" }).waitFor();

    await row.getByRole("button", { name: "History of eu-bank-holidays" }).click();
    const history = page.getByRole("table", { name: "History of eu-bank-holidays" });
    await history.getByRole("row").filter({ hasText: "created" }).waitFor();
    await history
      .getByRole("row")
      .filter({ hasText: 'dates: ["2027-12-25","2027-12-26"] → ["2027-01-01","2027-12-25","2027-12-26"]' })
      .waitFor();

    const confirmDelete = async (name: string) => {
      await calendars.getByRole("button", { name: `Delete ${name}` }).click();
      await page
        .getByRole("dialog", { name: `Delete ${name}?` })
        .getByRole("button", { name: "Delete" })
        .click();
    };
    await confirmDelete("vn-public-holidays");
    await page.getByRole("alert").filter({ hasText: "finance_report" }).waitFor();
    await confirmDelete("unused-calendar");
    await page
      .getByRole("status")
      .filter({ hasText: "Deleted unused-calendar. Its history is kept." })
      .waitFor();
    await calendars.getByRole("row").filter({ hasText: "unused-calendar" }).waitFor({ state: "detached" });
    expect((await t.app.inject({ url: "/api/v1/calendars/vn-public-holidays" })).statusCode).toBe(200);
    expect(browser.problems).toEqual([]);
  });

  it("shows the live schedulers and links the count of schedules that cannot fire to the list filtered to them", async () => {
    const nowIso = new Date().toISOString();
    const status = {
      instanceId: "5b75587e-0000-4000-8000-000000000001",
      hostname: "scheduler-a",
      pid: 4242,
      isLeader: true,
      schedulesLoaded: 7,
      lastApplied: { name: "finance_report", version: 3, appliedAt: nowIso, latencyMs: 29 },
      startedAt: nowIso,
      heartbeatAt: nowIso,
    };
    await t.redis.set(
      schedulerStatusKey(t.namespace, status.instanceId),
      JSON.stringify(status),
      "PX",
      60_000,
    );

    const page = await browser.openPage(baseUrl);
    await page.getByRole("link", { name: "Schedulers" }).click();
    await page.waitForURL(/\?view=schedulers$/);
    const row = page
      .getByRole("table", { name: "Schedulers" })
      .getByRole("row")
      .filter({ hasText: "scheduler-a:4242" });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual([
      "leader",
      "7",
      expect.stringMatching(/^finance_report version 3\w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} Europe\/Paris$/),
      "29 ms",
      expect.stringMatching(/^\d+ s ago$/),
    ]);

    await page.getByRole("link", { name: "1 schedule cannot fire" }).click();
    await page.waitForURL(/\?health=invalid$/);
    await rowOf(page, "broken_by_sql").waitFor();
    expect(await page.getByLabel("Health").inputValue()).toBe("invalid");
    await page.locator("#schedule-rows tr").nth(1).waitFor({ state: "detached" });
    expect(browser.problems).toEqual([]);
  });

  it("has no serious or critical accessibility violations in the Calendars and Schedulers views", async () => {
    const page = await browser.openPage(`${baseUrl}/?view=calendars`);
    await page.getByRole("table", { name: "Calendars" }).getByRole("row").nth(1).waitFor();
    await page
      .getByRole("button", { name: /^History of / })
      .first()
      .click();
    await page.locator("#calendar-history tbody tr").first().waitFor();
    expect(await auditAccessibility(page)).toEqual([]);
    await page.getByRole("link", { name: "Schedulers" }).click();
    await page.locator("#invalid-count a").waitFor();
    expect(await auditAccessibility(page)).toEqual([]);
  });
});
