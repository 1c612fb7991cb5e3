import { mkdtemp, mkdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

const CHROMIUM = process.env.HOTBEAT_CHROMIUM ?? "/usr/bin/chromium";
/** Headless, and nothing that reaches past this machine: no updates, sync, QUIC or first-run calls. */
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
const ARTIFACTS = fileURLToPath(new URL("../../../test-artifacts/", import.meta.url));
const NAME = "morning_intelligence_report";

let t: TestApi;
let baseUrl: string;
let context: BrowserContext;
let userDataDir: string;
const pageProblems: string[] = [];

beforeAll(async () => {
  t = await createTestApi();
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const created = await t.app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: { name: NAME, task: "reports.morning", cron: "30 7 * * *", timezone: "Asia/Ho_Chi_Minh" },
  });
  expect(created.statusCode).toBe(201);
  userDataDir = await mkdtemp(join(tmpdir(), "hotbeat-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  // Only the API under test: anything else the page (or the browser) asks for is refused.
  await context.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
  );
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => pageProblems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      pageProblems.push(message.text());
  });
  await page.goto(baseUrl);
  return page;
}

interface StoredSchedule {
  cron: string;
  version: number;
  enabled: boolean;
  description: string;
}
const schedule = async () => bodyOf<StoredSchedule>(await t.app.inject({ url: `/api/v1/schedules/${NAME}` }));
const rowOf = (page: Page) =>
  page.getByRole("row").filter({ has: page.getByRole("button", { name: NAME, exact: true }) });

describe("the Schedules page", { timeout: 60_000 }, () => {
  it("moves the morning report to 09:15 with the editor, previewing before saving, then pauses and runs it", async () => {
    const page = await openPage();
    await rowOf(page).filter({ hasText: "At 07:30 every day, Asia/Ho_Chi_Minh" }).waitFor();

    await page.getByRole("button", { name: `Edit ${NAME}` }).click();
    const editor = page.getByRole("dialog", { name: `Edit ${NAME}` });
    await editor.waitFor();
    expect(await editor.getByLabel("Repeats").inputValue()).toBe("daily");
    expect(await editor.getByLabel("Time zone").inputValue()).toBe("Asia/Ho_Chi_Minh");
    const preview = editor.getByRole("list", { name: "Next 5 runs" });
    await preview.getByRole("listitem").filter({ hasText: "07:30" }).first().waitFor();

    await editor.getByLabel("Time (24-hour, HH:MM)").fill("09:15");
    await preview
      .getByRole("listitem")
      .filter({ hasText: /^\w{3} \d{4}-\d{2}-\d{2} 09:15/ })
      .nth(4)
      .waitFor();
    expect(await preview.getByRole("listitem").allTextContents()).toEqual(
      Array.from({ length: 5 }, (): unknown =>
        expect.stringMatching(
          /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} 09:15 Asia\/Ho_Chi_Minh\s*02:15 UTC$/,
        ),
      ),
    );
    await editor.getByRole("list", { name: "Changes" }).getByText("cron: 30 7 * * * → 15 9 * * *").waitFor();
    await editor
      .getByRole("list", { name: "Changes" })
      .getByText("At 07:30 every day, Asia/Ho_Chi_Minh → At 09:15 every day, Asia/Ho_Chi_Minh")
      .waitFor();
    expect((await schedule()).cron).toBe("30 7 * * *");
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "ui-editor.png") });

    await editor.getByRole("button", { name: "Save" }).click();
    await editor.waitFor({ state: "hidden" });
    await rowOf(page).filter({ hasText: "At 09:15 every day, Asia/Ho_Chi_Minh" }).waitFor();
    expect(await schedule()).toMatchObject({ cron: "15 9 * * *", version: 2 });

    const history = page.getByRole("table", { name: "History" });
    const change = history.getByRole("row").filter({ hasText: "cron: 30 7 * * * → 15 9 * * *" });
    await change.waitFor();
    expect(await change.getByRole("cell").nth(3).textContent()).toBe("ui");
    await history.getByRole("button", { name: "Restore version 1" }).waitFor();

    await page.getByRole("switch", { name: `Enabled: ${NAME}` }).uncheck();
    await page
      .getByRole("status")
      .filter({ hasText: `Paused ${NAME} (version 3).` })
      .waitFor();
    await history.getByRole("row").filter({ hasText: "enabled: true → false" }).waitFor();
    expect(await page.getByRole("switch", { name: `Enabled: ${NAME}` }).isChecked()).toBe(false);
    expect((await schedule()).enabled).toBe(false);
    await page.getByRole("switch", { name: `Enabled: ${NAME}` }).check();
    await page
      .getByRole("status")
      .filter({ hasText: `Resumed ${NAME} (version 4).` })
      .waitFor();

    await page.getByRole("button", { name: "Run now" }).click();
    const runs = page.getByRole("table", { name: "Recent runs" });
    await runs.getByRole("row").filter({ hasText: "run now" }).filter({ hasText: "queued" }).waitFor();
    await rowOf(page).filter({ hasText: "queued" }).waitFor();

    expect(await page.getByRole("status").textContent()).toMatch(
      /^Started morning_intelligence_report now: run [0-9a-f]{8} is queued\.$/,
    );
    await page.screenshot({ path: join(ARTIFACTS, "ui.png"), fullPage: true });
    expect(pageProblems).toEqual([]);
  });

  it("shows a conflict when someone saved meanwhile, keeps the edits, and saves them over on request", async () => {
    const page = await openPage();
    await page.getByRole("button", { name: `Edit ${NAME}` }).click();
    const editor = page.getByRole("dialog", { name: `Edit ${NAME}` });
    await editor.getByLabel("Time (24-hour, HH:MM)").fill("10:45");
    const before = await schedule();
    const meanwhile = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/schedules/${NAME}`,
      headers: { "x-hotbeat-actor": "alice" },
      payload: { description: "edited elsewhere" },
    });
    expect(meanwhile.statusCode).toBe(200);

    await editor.getByRole("button", { name: "Save" }).click();
    const alert = editor.getByRole("alert");
    await alert
      .getByText(`${NAME} was changed by alice while you were editing (now version ${before.version + 1}`)
      .waitFor();
    expect(await editor.getByLabel("Time (24-hour, HH:MM)").inputValue()).toBe("10:45");
    expect((await schedule()).cron).toBe("15 9 * * *");

    await alert.getByRole("button", { name: "Save mine over theirs" }).click();
    await editor.waitFor({ state: "hidden" });
    expect(await schedule()).toMatchObject({ cron: "45 10 * * *", description: "edited elsewhere" });
    expect(pageProblems).toEqual([]);
  });

  it("creates a weekly schedule without cron: Mondays at 08:00", async () => {
    const page = await openPage();
    await page.getByRole("button", { name: "New schedule" }).click();
    const editor = page.getByRole("dialog", { name: "New schedule" });
    await editor.getByLabel("Name", { exact: true }).fill("weekly_summary_report");
    await editor.getByLabel("Task", { exact: true }).fill("reports.weekly");
    await editor.getByLabel("Repeats").selectOption("weekly");
    await editor.getByLabel("Time zone").fill("UTC");
    await editor.getByLabel("Time (24-hour, HH:MM)").fill("08:00");
    await editor.getByRole("checkbox", { name: "Monday" }).check();
    await editor.getByText("At 08:00 on Mondays, UTC", { exact: true }).waitFor();
    await editor
      .getByRole("list", { name: "Next 5 runs" })
      .getByRole("listitem")
      .filter({ hasText: /^Mon .* 08:00/ })
      .nth(4)
      .waitFor();
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.waitFor({ state: "hidden" });
    await page
      .getByRole("row")
      .filter({ hasText: "weekly_summary_report" })
      .filter({ hasText: "At 08:00 on Mondays, UTC" })
      .waitFor();
    const saved = bodyOf<{ cron: string; timezone: string }>(
      await t.app.inject({ url: "/api/v1/schedules/weekly_summary_report" }),
    );
    expect(saved).toMatchObject({ cron: "0 8 * * 1", timezone: "UTC" });
    expect(pageProblems).toEqual([]);
  });

  it("imports a file only after showing what the dry run would change", async () => {
    const exported = bodyOf(await t.app.inject({ url: "/api/v1/export" }));
    exported.schedules[0].cron = "0 6 * * 1-5";
    exported.schedules.push({ name: "imported_report", task: "reports.extra", intervalSeconds: 21_600 });
    const page = await openPage();
    await page.getByRole("button", { name: "Import…" }).click();
    const dialog = page.getByRole("dialog", { name: "Import schedules" });
    await dialog.getByLabel("File").setInputFiles({
      name: "schedules.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    const diff = dialog.getByRole("list", { name: "Import preview" });
    await diff
      .getByRole("listitem")
      .filter({ hasText: "imported_report" })
      .filter({ hasText: "create" })
      .waitFor();
    await diff.getByRole("listitem").filter({ hasText: NAME }).filter({ hasText: "update" }).waitFor();
    expect((await t.app.inject({ url: "/api/v1/schedules/imported_report" })).statusCode).toBe(404);

    await dialog.getByRole("button", { name: "Apply import" }).click();
    await page.getByRole("status").filter({ hasText: "Imported: 2 schedules changed." }).waitFor();
    await page
      .getByRole("row")
      .filter({ hasText: "imported_report" })
      .filter({ hasText: "Every 6 hours" })
      .waitFor();
    await rowOf(page).filter({ hasText: "At 06:00 on weekdays, Asia/Ho_Chi_Minh" }).waitFor();
    expect(pageProblems).toEqual([]);
  });

  it("marks a schedule hotbeat cannot fire with a red badge and the reason, in its row and its details", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/schedules",
      payload: { name: "broken_by_sql", task: "log", cron: "0 9 * * *" },
    });
    expect(created.statusCode, created.body).toBe(201);
    // What a hand-made UPDATE can leave behind, past the API's validation.
    await t.database.sql`UPDATE schedules SET cron = 'every morning' WHERE name = 'broken_by_sql'`;
    const { health } = bodyOf<{ health: { reason: string } }>(
      await t.app.inject({ url: "/api/v1/schedules/broken_by_sql" }),
    );
    expect(health.reason).toMatch(/^cron: /);

    const page = await openPage();
    const row = page
      .getByRole("row")
      .filter({ has: page.getByRole("button", { name: "broken_by_sql", exact: true }) });
    await row.filter({ hasText: `cannot fire ${health.reason}` }).waitFor();
    expect(await row.locator(".badge-invalid").textContent()).toBe("cannot fire");
    await rowOf(page).waitFor();
    expect(await rowOf(page).locator(".badge-invalid").count()).toBe(0);

    await row.getByRole("button", { name: "broken_by_sql", exact: true }).click();
    await page
      .locator("#details-health")
      .filter({ hasText: `cannot fire ${health.reason}` })
      .waitFor();
    await page.getByRole("button", { name: NAME, exact: true }).click();
    await page.locator("#details-heading").filter({ hasText: NAME }).waitFor();
    expect(await page.locator("#details-health").isHidden()).toBe(true);
    expect(pageProblems).toEqual([]);
  });

  it("asks once for the token of a protected API and keeps it for the tab", async () => {
    const guarded = await createTestApi({ apiToken: "ui-s3cret" });
    await guarded.app.listen({ host: "127.0.0.1", port: 0 });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(guarded.app.server.address() as AddressInfo).port}`);
    const prompt = page.getByRole("dialog", { name: "API token" });
    await prompt.getByLabel("Token").fill("ui-s3cret");
    await prompt.getByRole("button", { name: "Continue" }).click();
    await page.getByText("No schedules yet.").waitFor();
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }
        ).sessionStorage.getItem("hotbeat.token"),
      ),
    ).toBe("ui-s3cret");
    await page.reload();
    await page.getByText("No schedules yet.").waitFor();
    expect(await prompt.isVisible()).toBe(false);
  });

  it("serves the page and the markup it loads later under a strict content security policy", async () => {
    const response = await fetch(baseUrl);
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(await response.text()).not.toMatch(/<script>|\sstyle=|\son\w+=/);
    for (const part of ["/parts/editor.html", "/parts/dialogs.html"]) {
      const markup = await fetch(`${baseUrl}${part}`);
      expect(markup.status).toBe(200);
      expect(await markup.text()).not.toMatch(/<script|\sstyle=|\son\w+=/);
    }
  });
});
