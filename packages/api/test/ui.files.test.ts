import { beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "./testApi.js";

// How the API serves the page's files: index.html with the preload of its first page, the rest
// from memory with an ETag to revalidate against.
let t: TestApi;

beforeAll(async () => {
  t = await createTestApi();
});

describe("the page's files", () => {
  it("serves index.html at / with the preload of the first page its query asks for, revalidated each time", async () => {
    const plain = await t.app.inject({ url: "/" });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(plain.headers["cache-control"]).toBe("no-cache");
    expect(plain.body).toContain(
      '<link rel="preload" as="fetch" href="/api/v1/schedules?sort=name&amp;limit=50" crossorigin="anonymous" />',
    );
    const filtered = await t.app.inject({ url: "/?label=team%3Dfinance&health=invalid" });
    expect(filtered.body).toContain(
      'href="/api/v1/schedules?label=team%3Dfinance&amp;health=invalid&amp;sort=name&amp;limit=50"',
    );
    const calendars = await t.app.inject({ url: "/index.html?view=calendars" });
    expect(calendars.statusCode).toBe(200);
    expect(calendars.body).not.toContain('rel="preload"');
  });

  it("serves the page's scripts, styles and markup with their type and an ETag, and a 304 when it matches", async () => {
    for (const [url, type] of [
      ["/js/main.js", "text/javascript; charset=utf-8"],
      ["/styles.css", "text/css; charset=utf-8"],
      ["/parts/editor.html", "text/html; charset=utf-8"],
    ] as const) {
      const first = await t.app.inject({ url });
      expect(first.statusCode, url).toBe(200);
      expect(first.headers["content-type"]).toBe(type);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      const again = await t.app.inject({ url, headers: { "if-none-match": etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe("");
    }
  });

  it("serves no TypeScript declarations and answers 404 for a path that is no file of the page", async () => {
    expect((await t.app.inject({ url: "/js/editorModel.d.ts" })).statusCode).toBe(404);
    expect((await t.app.inject({ url: "/js/nothing.js" })).statusCode).toBe(404);
    expect((await t.app.inject({ url: "/js/../../plugins/ui.ts" })).statusCode).toBe(404);
  });
});
