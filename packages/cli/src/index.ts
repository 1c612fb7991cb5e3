export { main, DEFAULT_URL } from "./run.js";
export { ApiError, ApiUnreachable, UsageError } from "./errors.js";
export type { Io } from "./context.js";
