import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "./testApi.js";

// The README's screenshots, taken from the page over a few dozen schedules a team would have.
// They land in test-artifacts/ on every run, so a test run never dirties the tree; with
// HOTBEAT_WRITE_SCREENSHOTS=1 they replace the README's copies in docs/.
const CHROMIUM = process.env.HOTBEAT_CHROMIUM ?? "/usr/bin/chromium";
const DOCS = fileURLToPath(
  new URL(
    process.env.HOTBEAT_WRITE_SCREENSHOTS === "1" ? "../../../docs/" : "../../../test-artifacts/",
    import.meta.url,
  ),
);

const TEAMS: Array<[string, string, string, string]> = [
  ["Asia/Ho_Chi_Minh", "finance", "30 7 * * 1-5", "Morning cash position for the Saigon office"],
  ["Europe/Berlin", "payroll", "0 18 L * *", "Month-end payroll export to the bank"],
  ["America/New_York", "sales", "0 9 * * 1", "Weekly pipeline digest for the sales leads"],
  ["UTC", "ops", "*/15 * * * *", "Certificate expiry probe"],
  ["Asia/Tokyo", "support", "0 10 1 * *", "Monthly SLA report for enterprise customers"],
  ["Europe/London", "data", "15 2 * * *", "Nightly warehouse compaction"],
];
const KINDS = ["report", "sync", "cleanup", "export", "reminder"];

let t: TestApi;
let baseUrl: string;
let userDataDir: string;

beforeAll(async () => {
  t = await createTestApi();
  const schedules = TEAMS.flatMap(([timezone, team, cron, description], i) =>
    KINDS.map((kind, k) => {
      const common = { name: `${team}_${kind}`, task: `${team}.${kind}`, timezone, labels: { team, kind } };
      return k === 0
        ? { ...common, cron, description }
        : k % 2 === 0
          ? { ...common, intervalSeconds: 3600 * (k + i) }
          : {
              ...common,
              cron: `${(i * 7 + k * 11) % 60} ${(i + k * 3) % 24} * * *`,
              enabled: (i + k) % 5 !== 0,
            };
    }),
  );
  const imported = await t.app.inject({ method: "POST", url: "/api/v1/import", payload: { schedules } });
  expect(imported.statusCode).toBe(200);
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  userDataDir = await mkdtemp(join(tmpdir(), "hotbeat-chromium-"));
});
afterAll(async () => {
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe("the README's screenshots", { timeout: 60_000 }, () => {
  it("shows the Schedules page and the editor over thirty realistic schedules", async () => {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
      viewport: { width: 1280, height: 900 },
      timezoneId: "Europe/Berlin",
    });
    try {
      await context.route("**/*", (route) =>
        new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
      );
      const page = await context.newPage();
      await page.goto(baseUrl);
      await page.getByText("Live", { exact: true }).waitFor();
      await page.getByRole("button", { name: "finance_report", exact: true }).click();
      await page.getByRole("heading", { name: "finance_report" }).waitFor();
      await page.screenshot({ path: join(DOCS, "schedules-page.png"), fullPage: true });

      await page.getByRole("button", { name: "Edit finance_report" }).click();
      const editor = page.getByRole("dialog", { name: "Edit finance_report" });
      await editor.getByLabel("Time (24-hour, HH:MM)").fill("09:15");
      await editor
        .getByRole("list", { name: "Changes" })
        .getByText(/30 7 \* \* 1-5 → 15 9 /)
        .waitFor();
      await editor.getByRole("list", { name: "Next 5 runs" }).getByRole("listitem").nth(4).waitFor();
      await page.screenshot({ path: join(DOCS, "schedule-editor.png") });
    } finally {
      await context.close();
    }
  });
});
