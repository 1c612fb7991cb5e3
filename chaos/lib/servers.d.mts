/** Types of servers.mjs, for the TypeScript side: test/privateServices.ts. */

export function freePort(): Promise<number>;

export interface PrivateServerProcess {
  port: number;
  url: string;
  isRunning(): boolean;
  /** Starts it again on the same port (Redis comes back empty; PostgreSQL keeps its data). */
  start(): Promise<void>;
  /** A crash: SIGQUIT (PostgreSQL's immediate shutdown) or SIGKILL (Redis), then waits for the exit. */
  crash(): Promise<void>;
  /** The same signal without waiting, for exit handlers. */
  crashSync(): void;
}

export interface PrivatePostgresProcess extends PrivateServerProcess {
  adminUrl: string;
  /** `postmaster.pid` in the cluster's data folder, which PostgreSQL writes itself. */
  pidFile: string;
}

export function startPrivatePostgres(options: {
  dir: string;
  maxConnections?: number;
  onLine?: (line: string) => void;
}): Promise<PrivatePostgresProcess>;

export function startPrivateRedis(options?: {
  pidFileFor?: (port: number) => string;
  onLine?: (line: string) => void;
}): Promise<PrivateServerProcess>;
