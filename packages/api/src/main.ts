import {
  createLogger,
  exitOnStartupFailure,
  installProcessGuards,
  loadConfig,
  prepareServices,
  stopOnSignals,
  type Config,
} from "@hotbeat/shared";
import { assertSafeBinding, startApi } from "./startApi.js";

/** Past this, a stopping API exits anyway: closing waits only for requests in flight. */
const STOP_DEADLINE_MS = 10_000;

/**
 * `npm run start:api`: the one place that reads the environment, opens connections and installs
 * signal handlers. Any failure at start is one line and exit code 1, never a stack trace.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
    assertSafeBinding(config);
  } catch (error) {
    exitOnStartupFailure("hotbeat api", error);
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat, name: "hotbeat-api" });
  installProcessGuards(log);
  try {
    await prepareServices(config);
    const api = await startApi(config, log);
    stopOnSignals({
      log,
      stoppingMessage: "stopping",
      stop: () => api.close(),
      deadlineMs: STOP_DEADLINE_MS,
    });
  } catch (error) {
    exitOnStartupFailure("hotbeat api", error);
  }
}

await main();
