import type { Command } from "../context.js";
import { calendarsCommand } from "./calendars.js";
import { backfillCommand } from "./backfill.js";
import { createCommand } from "./create.js";
import { deleteCommand } from "./delete.js";
import { exportCommand } from "./exportSchedules.js";
import { getCommand } from "./get.js";
import { historyCommand } from "./history.js";
import { importCommand } from "./importSchedules.js";
import { listCommand } from "./list.js";
import { nextCommand } from "./next.js";
import { runsCommand } from "./runs.js";
import { setCommand } from "./set.js";
import { skipCommand } from "./skip.js";
import { statusCommand } from "./status.js";
import { triggerCommand } from "./trigger.js";
import { unskipCommand } from "./unskip.js";

/** Every command, in the order `hotbeat --help` lists them. */
export const COMMANDS: readonly Command[] = [
  listCommand,
  getCommand,
  createCommand,
  setCommand,
  deleteCommand,
  nextCommand,
  historyCommand,
  runsCommand,
  triggerCommand,
  skipCommand,
  unskipCommand,
  backfillCommand,
  exportCommand,
  importCommand,
  calendarsCommand,
  statusCommand,
];
