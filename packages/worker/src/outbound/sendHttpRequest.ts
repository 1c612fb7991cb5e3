import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { isIP, type Socket } from "node:net";
import { PermanentTaskError } from "../taskErrors.js";
import type { AddressPolicy } from "./addressPolicy.js";
import { createGuardedLookup, ForbiddenAddressError } from "./guardedLookup.js";

/** One HTTP exchange, without following redirects. */
export interface HttpExchange {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal;
  policy: AddressPolicy;
  /** The response body is read up to this many bytes; a larger one fails the call. */
  maxResponseBytes: number;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The address the socket was connected to. */
  remoteAddress: string | undefined;
}

/** The response was larger than the cap. */
export class ResponseTooLargeError extends PermanentTaskError {}

function checkConnectedAddress(socket: Socket, host: string, policy: AddressPolicy): void {
  // The guarded lookup already decided; this re-check of the connected peer guards against any
  // path that would bypass the lookup (a literal address, a future change in Node).
  const refusal = socket.remoteAddress ? policy.refusal(host, socket.remoteAddress) : "no peer address";
  if (refusal) socket.destroy(new ForbiddenAddressError(refusal));
}

/**
 * Sends one request over a fresh connection (no pooled socket whose address was checked for another
 * name) and reads the response up to the size cap. Only http: and https: are spoken, and an
 * address literal in the URL is checked before any socket exists, because Node skips `lookup` for it.
 */
export function sendHttpRequest(exchange: HttpExchange): Promise<HttpReply> {
  const { url, policy } = exchange;
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.reject(
      new PermanentTaskError(`refused the ${url.protocol} scheme: only http and https are allowed`),
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(host)) {
    const refusal = policy.refusal(host, host);
    if (refusal) return Promise.reject(new ForbiddenAddressError(refusal));
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise<HttpReply>((resolve, reject) => {
    const request = client.request(url, {
      method: exchange.method,
      headers: exchange.headers,
      agent: false,
      lookup: createGuardedLookup(policy),
      signal: exchange.signal,
    });
    request.once("socket", (socket) => {
      socket.once("connect", () => checkConnectedAddress(socket, host, policy));
      socket.once("secureConnect", () => checkConnectedAddress(socket, host, policy));
    });
    request.once("error", reject);
    request.once("response", (response) => {
      const declared = Number(response.headers["content-length"]);
      const tooLarge = () =>
        new ResponseTooLargeError(`response larger than ${exchange.maxResponseBytes} bytes; aborted`);
      if (Number.isFinite(declared) && declared > exchange.maxResponseBytes) {
        response.destroy();
        reject(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > exchange.maxResponseBytes) {
          response.destroy();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      response.once("error", reject);
      response.once("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          remoteAddress: response.socket?.remoteAddress,
        }),
      );
    });
    request.end(exchange.body);
  });
}
