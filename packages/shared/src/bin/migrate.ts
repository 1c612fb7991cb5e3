import { loadConfig } from "../config/loadConfig.js";
import { createLogger, redactUrl } from "../logging/createLogger.js";
import { describeStartupFailure } from "../startup.js";
import { migrateDatabase } from "../db/migrate.js";

// `npm run migrate`: the one entry point of this package that reads the environment.
const log = createLogger({ level: "info", name: "migrate" });
try {
  const config = loadConfig(process.env);
  await migrateDatabase(config.databaseUrl);
  log.info({ database: redactUrl(config.databaseUrl) }, "migrations applied");
} catch (error) {
  log.fatal(describeStartupFailure(error), "migration failed");
  process.exitCode = 1;
}
