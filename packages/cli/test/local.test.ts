import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startTestServer } from "./testServer.js";

// `--local`: the instants of list, next and runs in this machine's zone, each naming its zone.
let env: Record<string, string>;
const hotbeat = (...argv: string[]) => runCli(argv, env);

// The CLI runs in this process here, so "this machine's zone" is this process's: Node applies a
// change of TZ at once.
const savedZone = process.env.TZ;
afterAll(() => {
  if (savedZone === undefined) delete process.env.TZ;
  else process.env.TZ = savedZone;
});

beforeAll(async () => {
  const server = await startTestServer();
  process.env.TZ = "Europe/Berlin";
  env = { HOTBEAT_URL: server.url };
  const created = await hotbeat(
    "create",
    "saigon_report",
    "--task",
    "reports",
    "--cron",
    "30 7 * * *",
    "--tz",
    "Asia/Ho_Chi_Minh",
  );
  expect(created.code).toBe(0);
});

describe("hotbeat --local", () => {
  it("shows the next runs of a Ho Chi Minh City schedule in Berlin time, naming both zones", async () => {
    const result = await hotbeat(
      "next",
      "saigon_report",
      "-n",
      "2",
      "--from",
      "2027-01-10T00:00:00Z",
      "--local",
    );
    expect(result.stdout).toBe(
      "Next runs (Europe/Berlin):\n" +
        "  2027-01-10 01:30 Europe/Berlin  (Asia/Ho_Chi_Minh: 2027-01-10T07:30:00.000+07:00)\n" +
        "  2027-01-11 01:30 Europe/Berlin  (Asia/Ho_Chi_Minh: 2027-01-11T07:30:00.000+07:00)\n",
    );
  });

  it("adds each schedule's next run to the list, in the local zone", async () => {
    const result = await hotbeat("list", "--local", "--search", "saigon");
    expect(result.stdout).toMatch(
      /^NAME +ENABLED +TASK +NEXT RUN +LABELS +HEALTH\nsaigon_report +yes +reports +\d{4}-\d{2}-\d{2} 01:30 Europe\/Berlin +- +ok\n$/,
    );
  });
});
