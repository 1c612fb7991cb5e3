import { stdSerializers } from "pino";

/** Keys whose values are credentials wherever they appear in a logged object. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|token|apitoken|secret)$|[-_](key|token|secret)$/i;
const CENSOR = "[redacted]";

/**
 * Removes credentials from free text: Drizzle's `params:` part (a failed query's message lists
 * every bound value, a payload's headers included), bearer and basic credentials, and the
 * password of a URL.
 */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, "\nparams: [redacted]")
    .replace(/\b(Bearer|Basic)\s+[^\s"',]+/gi, `$1 ${CENSOR}`)
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, "$1***@")
    .replace(
      /("(?:authorization|proxy-authorization|cookie|set-cookie|password|token|[\w-]*[-_](?:key|token|secret))"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
      `$1"${CENSOR}"`,
    );
}

/** A copy of `value` with every secret key's value censored and every string cleaned. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactSecretsInText(value);
  if (value === null || typeof value !== "object" || depth > 10) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Error) return serializeError(value);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) ? CENSOR : redactSecrets(item, depth + 1);
  }
  return copy;
}

/**
 * pino's error serializer with secrets removed from the message, the stack and every `cause`:
 * redaction paths cannot reach into an error's text, where a database driver puts the values.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return redactSecrets(error);
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  // Drizzle keeps the bound values beside the message too.
  if ("params" in serialized) serialized.params = CENSOR;
  return redactSecrets(serialized);
}
