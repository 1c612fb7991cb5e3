// Skip one occurrence of a schedule, and undo it while it is still to come. A skip is a `skipped`
// run recorded ahead of its instant, so the runs list shows it too.

import { api, schedulePath } from "./api.js";
import { formatInstant } from "./clock.js";
import { announce } from "./dom.js";
import { reportError } from "./writes.js";

/** Skips the schedule's next instant that would fire; `done()` redraws what shows it. */
export async function skipNext(schedule, done) {
  try {
    const { skipped } = await api("POST", `${schedulePath(schedule.name)}/skip`, { body: {} });
    announce(
      `Skipped the run of ${schedule.name} at ${formatInstant(skipped.at, schedule.timezone)}. Undo it from Next runs while it is to come.`,
    );
  } catch (e) {
    reportError(e);
  }
  await done();
}

/** Undoes the skip of `at`: the instant fires again as usual. */
export async function undoSkip(schedule, at, done) {
  try {
    await api("DELETE", `${schedulePath(schedule.name)}/skip/${encodeURIComponent(at)}`);
    announce(`The run of ${schedule.name} at ${formatInstant(at, schedule.timezone)} is no longer skipped.`);
  } catch (e) {
    reportError(e);
  }
  await done();
}
