import { describe, expect, it } from "vitest";
import { toStorableJson, toStorableText, truncateText } from "../src/runs/storable.js";

describe("truncateText", () => {
  it("never ends in half a surrogate pair", () => {
    expect(truncateText("ab😀", 3)).toBe("ab");
    expect(truncateText("ab😀", 4)).toBe("ab😀");
    expect(truncateText("abcd", 2)).toBe("ab");
  });
});

describe("toStorableText", () => {
  it("leaves ordinary text alone", () => {
    expect(toStorableText("connection reset", 100)).toBe("connection reset");
  });

  it("escapes NULs and replaces lone surrogates, with a note", () => {
    expect(toStorableText("a\u0000b\ud800", 200)).toBe(
      "a\\u0000b\ufffd [changed to be storable: 1 NUL character(s) written as \\u0000, 1 lone surrogate(s) replaced by U+FFFD]",
    );
  });

  it("cuts long text on a code point and keeps the note within the limit", () => {
    expect(toStorableText("😀😀😀", 4)).toBe("😀…");
    const cut = toStorableText(`${"x".repeat(100)}\u0000`, 80);
    expect(cut).toHaveLength(80);
    expect(cut).toMatch(/^x+… \[changed to be storable: 1 NUL/);
  });
});

describe("toStorableJson", () => {
  it("returns a storable value unchanged, including a well-formed pair and an escaped backslash", () => {
    const value = { text: "😀 \\u0000 literal" };
    expect(toStorableJson(value)).toBe(value);
  });

  it("rewrites NULs and lone surrogates at any depth, keys included, and says so", () => {
    expect(toStorableJson({ "a\u0000": [{ b: "\udfff" }] })).toEqual({
      note: "changed to be storable: 1 NUL character(s) written as \\u0000, 1 lone surrogate(s) replaced by U+FFFD",
      value: { "a\\u0000": [{ b: "\ufffd" }] },
    });
  });
});
