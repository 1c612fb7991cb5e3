// The page's live feed: GET /api/v1/events read with fetch (so the token travels in the
// Authorization header, never in a URL), reconnecting by itself and resuming with
// Last-Event-ID so nothing is missed; `reset` means the server lost track and asks for a reload.

import { authHeaders } from "./api.js";

const RETRY_MS = [500, 1000, 2000, 5000];

/** Follows the feed for the page's life; `handlers` maps an event name to a function of its data. */
export function followEvents(handlers) {
  let lastEventId;
  let failures = 0;
  const dispatch = (block) => {
    const fields = {};
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const key = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      fields[key] = key === "data" && fields.data !== undefined ? `${fields.data}\n${value}` : value;
    }
    if (fields.id) lastEventId = fields.id;
    const handler = handlers[fields.event];
    if (handler && fields.data !== undefined) handler(JSON.parse(fields.data));
  };
  const connect = async () => {
    const headers = { accept: "text/event-stream", ...authHeaders() };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const response = await fetch("/api/v1/events", { headers });
    if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
    handlers.open?.();
    failures = 0;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  };
  const loop = async () => {
    for (;;) {
      try {
        await connect();
      } catch (error) {
        handlers.lost?.(error);
        failures += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]));
    }
  };
  void loop();
}
