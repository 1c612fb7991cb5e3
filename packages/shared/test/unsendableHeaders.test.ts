import { describe, expect, it } from "vitest";
import { findUnsendableHeaders } from "../src/http/unsendableHeaders.js";

describe("findUnsendableHeaders", () => {
  it("accepts ordinary headers, a tab and Latin-1 text", () => {
    expect(findUnsendableHeaders({ Authorization: "Bearer abc", "X-Note": "caf\u00e9\tcr\u00e8me" })).toEqual(
      [],
    );
  });

  it("names each connection header whatever its case, in the payload's order", () => {
    expect(findUnsendableHeaders({ "transfer-encoding": "chunked", Accept: "*/*", HOST: "a" })).toEqual([
      {
        name: "transfer-encoding",
        reason: "is set by the http task itself and cannot come from the payload",
      },
      { name: "HOST", reason: "is set by the http task itself and cannot come from the payload" },
    ]);
  });

  it("says why a value cannot be sent: line break, NUL, control character, beyond Latin-1, not a string", () => {
    expect(
      findUnsendableHeaders({
        "X-A": "a\nb",
        "X-B": "a\u0000b",
        "X-C": "a\u0007b",
        "X-D": "\u20ac",
        "X-E": 5,
      }).map((found) => found.reason),
    ).toEqual([
      "must not contain line breaks",
      "must not contain NUL characters",
      "must not contain control characters",
      "must contain only Latin-1 characters (percent-encode the rest)",
      "must be a string",
    ]);
  });

  it("refuses a name that is not an HTTP token", () => {
    expect(findUnsendableHeaders({ "X Space": "a", "": "b" })).toEqual([
      { name: "X Space", reason: "is not a valid header name" },
      { name: "", reason: "is not a valid header name" },
    ]);
  });
});
